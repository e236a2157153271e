"""Completing a cart into an order (guest or logged-in) and mailing the confirmation."""

from __future__ import annotations

from sqlmodel import Session

from storefront.models import Customer, Order, OrderLine
from storefront.services import accounts, carts, outbox
from storefront.services.errors import CartNotUsable, GuestEmailHasAccount, InvalidInput
from storefront.services.ids import new_id
from storefront.services.orders import OrderView

ADDRESS_FIELDS = {
    "first_name": "Enter your first name.",
    "last_name": "Enter your last name.",
    "address_1": "Enter your street address.",
    "city": "Enter your city.",
    "postal_code": "Enter your postal code.",
    "country_code": "Choose your country.",
}


def validate_address(address: dict[str, str]) -> dict[str, str]:
    """Trimmed address fields, or InvalidInput naming the first missing field."""
    clean = {name: str(address.get(name) or "").strip() for name in ADDRESS_FIELDS}
    for name, sentence in ADDRESS_FIELDS.items():
        if not clean[name]:
            raise InvalidInput(sentence, field=name)
        if len(clean[name]) > 200:
            raise InvalidInput("That is too long. Shorten it and try again.", field=name)
    clean["country_code"] = clean["country_code"].lower()
    if len(clean["country_code"]) != 2 or not clean["country_code"].isalpha():
        raise InvalidInput("Choose your country.", field="country_code")
    return clean


def place_order(
    *,
    session: Session,
    cart_id: str,
    customer_id: int | None = None,
    email: str | None = None,
    address: dict[str, str] | None = None,
) -> OrderView:
    """Turn the cart into an order and queue the confirmation email.

    A guest (no `customer_id`) may not use an email that belongs to an account: that customer should
    log in, and an order placed that way could never be claimed by anyone else. A logged-in customer's
    order uses the account's email and joins the account at once.

    Args:
        session: Database session.
        cart_id: The cart; its email and shipping address must be set, here or before.
        customer_id: The logged-in customer, if any.
        email: Store this email on the cart first (a checkout form sends all at once).
        address: Store these shipping address fields on the cart first.

    Returns:
        The new order with its lines.

    Raises:
        InvalidInput: Missing email, address field, or an empty cart (`field` names it).
        GuestEmailHasAccount: A guest used an account's email.
        CartNotUsable: The cart was already completed.
        NotFound: No such cart.
    """
    if email is not None or address is not None:
        carts.update_details(session=session, cart_id=cart_id, email=email, address=address)
    view = carts.get_cart(session=session, cart_id=cart_id)
    cart = view.cart
    if cart.completed_at is not None:
        raise CartNotUsable("This cart was already checked out.")
    if not view.lines:
        raise InvalidInput("Your cart is empty. Add something from the shop first.", field="cart")
    customer = session.get(Customer, customer_id) if customer_id is not None else None
    if customer is not None:
        email = customer.email
    else:
        email = accounts.normalize_email(cart.email)
        if accounts.get_by_email(session=session, email=email) is not None:
            raise GuestEmailHasAccount(field="email")
    address = validate_address(cart.model_dump())
    order = Order(
        id=new_id("order"), email=email, customer_id=customer.id if customer else None, **address,
        subtotal=view.subtotal, shipping_total=view.shipping_total, total=view.total,
    )
    session.add(order)
    session.flush()
    lines = [
        OrderLine(order_id=order.id, variant_id=line.variant_id, quantity=line.quantity,
                  unit_price=line.unit_price, title=f"{line.title} ({line.variant_title})")
        for line in view.lines
    ]
    session.add_all(lines)
    carts.mark_completed(session=session, cart=cart, order_id=order.id)
    outbox.queue(session=session, to=email, template="order_confirmation", order=order, lines=lines)
    session.flush()
    return OrderView(order=order, lines=lines)
