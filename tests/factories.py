"""Small factories for service tests: each makes one valid object with overridable fields."""

from __future__ import annotations

import itertools

from sqlmodel import Session

from storefront.models import Customer
from storefront.services import accounts, carts, catalog, checkout, logins
from storefront.services.orders import OrderView

_counter = itertools.count(1)
PASSWORD = "correct horse battery"
ADDRESS = {
    "first_name": "Grace", "last_name": "Hopper", "address_1": "1 Harbour Street",
    "city": "Arlington", "postal_code": "22201", "country_code": "us",
}


def within(session: Session):
    """A `transaction` for a flow (runner.run_steps) whose every step runs in the test's own session."""

    def transaction(service, /, **kwargs):
        return service(session=session, **kwargs)

    return transaction


def authenticate(session: Session, **kwargs) -> Customer:
    """logins.authenticate with every step in the test's own session."""
    return logins.authenticate(transaction=within(session), **kwargs)


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}@example.com"


def make_customer(session: Session, *, email: str | None = None, password: str = PASSWORD, **names: str) -> Customer:
    return accounts.register(
        session=session, email=email or unique_email("customer"), password=password,
        first_name=names.get("first_name", "Ada"), last_name=names.get("last_name", "Lovelace"),
    )


def make_cart(session: Session, *, email: str | None = None, items: int = 1, customer_id: int | None = None) -> str:
    catalog.seed_demo_catalog(session=session)
    cart = carts.create_cart(session=session, customer_id=customer_id)
    products, _ = catalog.list_products(session=session)
    for product in products[:items]:
        carts.add_item(session=session, cart_id=cart.id, variant_id=product.variants[0].id, quantity=1)
    carts.update_details(session=session, cart_id=cart.id, email=email or unique_email("guest"), address=ADDRESS)
    return cart.id


def make_guest_order(session: Session, *, email: str | None = None, items: int = 1) -> OrderView:
    cart_id = make_cart(session, email=email, items=items)
    return checkout.place_order(session=session, cart_id=cart_id)
