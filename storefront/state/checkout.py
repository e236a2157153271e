"""Checkout: guest or logged-in, every field's error next to its field, then the confirmation page."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.mail.render import money
from storefront.services import checkout
from storefront.services.errors import StorefrontError
from storefront.services.orders import OrderView
from storefront.services.runner import arun
from storefront.state.auth import UsesSession
from storefront.state.forms import FormMixin, field_text
from storefront.state.order import LineRow
from storefront.state.session_binding import BindsToSession
from storefront.state.shop import CartState

CHECKOUT_LABELS = {"email": "Email", "full_name": "Full name", "address_1": "Address", "city": "City",
                   "postal_code": "Postal code", "country_code": "Country"}
# The form asks for one Full name; the service checks the address's two halves of it.
NAME_PARTS = {"first_name": "full_name", "last_name": "full_name"}
COUNTRIES = checkout.COUNTRIES  # the service's list, which the form renders (pages import only state)


def address_lines(view: OrderView) -> list[str]:
    """The shipping address as it goes on a parcel."""
    order = view.order
    return [f"{order.first_name} {order.last_name}".strip(), order.address_1, f"{order.postal_code} {order.city}",
            COUNTRIES.get(order.country_code, order.country_code.upper())]


class CheckoutState(BindsToSession, FormMixin, UsesSession, rx.State):
    last_order_id: str = ""
    last_order_email: str = ""
    last_order_lines: list[LineRow] = []
    last_order_address: list[str] = []
    last_order_subtotal: str = ""
    last_order_shipping: str = ""
    last_order_total: str = ""

    @rx.event
    async def submit(self, form: dict):
        if not self._begin(form):
            return
        yield
        cart = await self.get_state(CartState)
        customer_id = await self._current_customer_id()
        if not cart.cart_id:
            self._fail("Your cart is empty. Add something from the shop first.")
            return
        address = {**checkout.split_full_name(field_text(form, "full_name")),
                   **{name: field_text(form, name) for name in ("address_1", "city", "postal_code", "country_code")}}
        try:
            view = await arun(checkout.place_order, cart_id=cart.cart_id, customer_id=customer_id,
                              email=field_text(form, "email"), address=address)
        except StorefrontError as exc:
            self._fail(exc, labels=CHECKOUT_LABELS, rename=NAME_PARTS)
            return
        self._show_order(view)
        cart.cart_id = ""
        cart._show(None)
        self.submitting = False
        yield rx.redirect(routes.ORDER_CONFIRMED)

    def _show_order(self, view: OrderView) -> None:
        order, currency = view.order, view.order.currency_code
        self.last_order_id, self.last_order_email = order.id, order.email
        self.last_order_lines = [
            LineRow(title=line.title, quantity=str(line.quantity),
                    total=money(line.unit_price * line.quantity, currency))
            for line in view.lines
        ]
        self.last_order_address = address_lines(view)
        self.last_order_subtotal = money(order.subtotal, currency)
        self.last_order_shipping = "Free" if order.shipping_total == 0 else money(order.shipping_total, currency)
        self.last_order_total = money(order.total, currency)
