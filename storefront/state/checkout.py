"""Checkout: guest or logged-in, field errors next to the fields, then the confirmation page."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.mail.render import money
from storefront.services import checkout
from storefront.services.errors import StorefrontError
from storefront.services.runner import arun
from storefront.state.auth import UsesSession
from storefront.state.forms import FormMixin, field_text
from storefront.state.shop import CartState


class CheckoutState(FormMixin, UsesSession, rx.State):
    last_order_id: str = ""
    last_order_email: str = ""
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
        full_name = " ".join(field_text(form, "full_name").split())
        first, _, last = full_name.partition(" ")
        if not full_name or not last.strip():
            self._fail("Enter your first and last name.", field="full_name")
            return
        address = {"first_name": first, "last_name": last.strip(), **{
            name: field_text(form, name) for name in ("address_1", "city", "postal_code", "country_code")}}
        try:
            view = await arun(checkout.place_order, cart_id=cart.cart_id, customer_id=customer_id,
                              email=field_text(form, "email"), address=address)
        except StorefrontError as exc:
            # The form asks for one "Full name"; the service checks its two halves.
            self._fail(exc, field="full_name" if exc.field in {"first_name", "last_name"} else None)
            return
        self.last_order_id, self.last_order_email = view.order.id, view.order.email
        self.last_order_total = money(view.order.total, view.order.currency_code)
        cart.cart_id = ""
        cart._show(None)
        self.submitting = False
        yield rx.redirect(routes.ORDER_CONFIRMED)
