"""Completing a cart into an order (guest or logged-in) and mailing the confirmation."""

from __future__ import annotations

from sqlmodel import Session

from storefront.models import Customer, Order, OrderLine
from storefront.services import accounts, carts, history, inputs, orders, outbox
from storefront.services.errors import FieldErrors, GuestEmailHasAccount, InvalidInput
from storefront.services.ids import new_id
from storefront.services.orders import OrderView

# The shipping address rules, in the order a checkout form asks for them: the sentence for a blank
# required field, or None where blank is fine. One name is a whole name (Cher, Sukarno, many Indonesians):
# a shop must not make up a last name, so only the first is required.
ADDRESS_FIELDS: dict[str, str | None] = {
    "first_name": "Enter your name.",
    "last_name": None,
    "address_1": "Enter your street address.",
    "city": "Enter your city.",
    "postal_code": "Enter your postal code.",
    "country_code": "Choose your country.",
}
CHECKOUT_FIELDS = ("email", *ADDRESS_FIELDS)
# The countries the shop ships to: ISO 3166-1 alpha-2 codes in lower case, as Medusa stores them, with the
# names a checkout form offers. An address in any other country is refused, over REST as in the form.
COUNTRIES: dict[str, str] = {
    "us": "United States", "de": "Germany", "fr": "France", "gb": "United Kingdom", "nl": "Netherlands",
    "dk": "Denmark", "es": "Spain", "it": "Italy",
}


def split_full_name(full_name: str) -> dict[str, str]:
    """One "Full name" as the address's first and last name: the first word, then the rest ("" for one word)."""
    first, _, last = " ".join(str(full_name).split()).partition(" ")
    return {"first_name": first, "last_name": last}


def validate_address(address: dict[str, str]) -> dict[str, str]:
    """Trimmed address fields, or one InvalidInput naming every field that is missing or malformed."""
    problems = FieldErrors()
    clean = {name: problems.check(name, inputs.one_line, address.get(name), field=name,
                                  max_length=inputs.MAX_ADDRESS_FIELD, required=sentence)
             for name, sentence in ADDRESS_FIELDS.items()}
    country = (clean["country_code"] or "").lower()
    if clean["country_code"] is not None and country not in COUNTRIES:
        problems.add(InvalidInput(f"We do not ship to that country. Choose one of: {', '.join(COUNTRIES)}.",
                                  field="country_code"))
    problems.raise_if_any(CHECKOUT_FIELDS)
    return {**clean, "country_code": country}


def place_order(
    *,
    session: Session,
    cart_id: str,
    customer_id: int | None = None,
    email: str | None = None,
    address: dict[str, str] | None = None,
) -> OrderView:
    """Turn the cart into an order and queue the confirmation email; idempotent per cart.

    A guest (no `customer_id`) may not use an email that belongs to an account: that customer should
    log in, and an order placed that way could never be claimed by anyone else. A logged-in customer's
    order uses the account's email and joins the account at once.

    Completing a cart that is already completed answers with its order, as Medusa v1 does: a double
    click, a retried request or ten parallel ones all get the one order, and one confirmation email.

    Args:
        session: Database session.
        cart_id: The cart; its email and shipping address must be set, here or before.
        customer_id: The logged-in customer, if any.
        email: Store this email on the cart first (a checkout form sends all at once).
        address: Store these shipping address fields on the cart first.

    Returns:
        The cart's order with its lines.

    Raises:
        InvalidInput: An empty cart, or missing or malformed details (`errors` names every such field).
        GuestEmailHasAccount: A guest used an account's email.
        NotFound: No such cart.
    """
    if carts.find_cart(session, cart_id).completed_at is not None:
        return _existing_order(session, cart_id)
    problems = FieldErrors()
    if email is not None or address is not None:
        problems.check("form", carts.update_details, session=session, cart_id=cart_id, email=email, address=address)
    view = carts.get_cart(session=session, cart_id=cart_id)
    cart = view.cart
    if not view.lines:
        raise InvalidInput("Your cart is empty. Add something from the shop first.", field="cart")
    customer = session.get(Customer, customer_id) if customer_id is not None else None
    email = customer.email if customer is not None else problems.check("email", accounts.normalize_email, cart.email)
    checked = problems.check("address", validate_address, cart.model_dump())
    problems.raise_if_any(CHECKOUT_FIELDS)  # every field at fault at once, in the form's order
    if customer is None and accounts.get_by_email(session=session, email=email) is not None:
        raise GuestEmailHasAccount(field="email")
    address = checked
    order = Order(
        id=new_id("order"), email=email, customer_id=customer.id if customer else None, **address,
        subtotal=view.subtotal, shipping_total=view.shipping_total, total=view.total,
    )
    if not carts.take_for_order(session=session, cart_id=cart.id, order_id=order.id):
        session.rollback()  # another request completed the cart meanwhile: keep nothing of ours
        return _existing_order(session, cart_id)
    session.add(order)
    session.flush()
    lines = [
        OrderLine(order_id=order.id, variant_id=line.variant_id, quantity=line.quantity,
                  unit_price=line.unit_price, title=line.name)
        for line in view.lines
    ]
    session.add_all(lines)
    history.record(session, order_ids=[order.id], type="placed", actor="customer" if customer else "order_email",
                   customer_id=order.customer_id, email=email, now=order.created_at)
    outbox.queue(session=session, to=email, template="order_confirmation", order=order, lines=lines)
    session.flush()
    return OrderView(order=order, lines=lines)


def _existing_order(session: Session, cart_id: str) -> OrderView:
    cart = carts.find_cart(session, cart_id)
    session.refresh(cart)
    return orders.get_order(session=session, order_id=cart.order_id or "")
