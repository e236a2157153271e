"""Rows the load tools need, written straight into the app's database: customers with live sessions, guest
orders and pending claims with their link tokens.

Logging in through the app would cost an argon2 verify per customer (on purpose, ~16 ms): the customers here
share one hash made once, and get their session the way a login does (sessions.create_session). Claim tokens
are signed with the app's key (`STOREFRONT_SECRET_KEYS`, which the bench sets for the app it starts).
"""

from __future__ import annotations

import itertools
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from storefront.models import ClaimOrder, ClaimRequest, Customer, Order, OrderLine, Variant, utcnow
from storefront.routes import SESSION_COOKIE
from storefront.services import sessions
from storefront.services.ids import new_id
from storefront.services.passwords import default_context
from storefront.services.tokens import LinkSigner

__all__ = ["SESSION_COOKIE", "Seeder"]
BENCH_SECRET_KEY = "bench-secret-key-not-for-production"


@dataclass(frozen=True)
class Shopper:
    customer_id: int
    email: str
    cookie: str  # the sf_session cookie's value


@dataclass(frozen=True)
class PendingClaim:
    claim_id: str
    token: str


class Seeder:
    VARIANT = "variant_classic_tee_1"  # a demo variant every seeded order and cart holds

    def __init__(self, database_url: str, secret_key: str | None = None) -> None:
        from storefront.db import make_engine

        self.engine = make_engine(database_url)
        key = secret_key or os.environ.get("STOREFRONT_SECRET_KEYS", BENCH_SECRET_KEY).split(",")[0]
        self.signer = LinkSigner([key])
        self._run = secrets.token_hex(4)
        self._hash: str | None = None
        self._serial = itertools.count()

    def variants(self) -> list[str]:
        """Every variant the shop sells (the demo catalog has 12), in a fixed order."""
        from sqlmodel import select

        with Session(self.engine) as db:
            return list(db.exec(select(Variant.id).order_by(Variant.id)).all())

    def customers(self, count: int) -> list[Shopper]:
        """`count` customers, each logged in once (their session cookie in Shopper.cookie)."""
        self._hash = self._hash or default_context().hash(secrets.token_urlsafe(16))
        made = []
        with Session(self.engine) as db:
            numbers = [next(self._serial) for _ in range(count)]
            rows = [Customer(email=f"bench-{self._run}-{i}@example.com", first_name="Bench", last_name=f"Shopper{i}",
                             password_hash=self._hash) for i in numbers]
            db.add_all(rows)
            db.flush()
            for row in rows:
                made.append(Shopper(row.id, row.email, sessions.create_session(session=db, customer_id=row.id)))
            db.commit()
        return made

    def guest_orders(self, count: int) -> list[str]:
        """`count` placed guest orders (one line each, each with its own email): their IDs."""
        ids = [new_id("order") for _ in range(count)]
        with Session(self.engine) as db:
            for order_id in ids:
                db.add(Order(id=order_id, email=f"guest-{order_id.lower()}@example.com", subtotal=1900,
                             shipping_total=490, total=2390, first_name="Grace", last_name="Hopper",
                             address_1="1 Harbour Street", city="Arlington", postal_code="22201",
                             country_code="us"))
                db.add(OrderLine(order_id=order_id, variant_id=self.VARIANT, title="Classic T-Shirt",
                                 quantity=1, unit_price=1900))
            db.commit()
        return ids

    def claims(self, shopper: Shopper, order_ids: list[str]) -> list[PendingClaim]:
        """A pending claim by `shopper` for each order, with the token its email link would carry."""
        made = []
        now = utcnow()
        with Session(self.engine) as db:
            for order_id in order_ids:
                claim_id = new_id("claim")
                token, token_hash = self.signer.new()
                db.add(ClaimRequest(id=claim_id, customer_id=shopper.customer_id,
                                    order_email=f"guest-{order_id.lower()}@example.com", token_hash=token_hash,
                                    created_at=now, expires_at=now + timedelta(hours=1)))
                db.flush()
                db.add(ClaimOrder(claim_id=claim_id, order_id=order_id))
                made.append(PendingClaim(claim_id, token))
            db.commit()
        return made

    def ready_carts(self, count: int) -> list[str]:
        """`count` guest carts with a line, an email and an address: what a checkout completes."""
        from storefront.services import carts

        ids = []
        with Session(self.engine) as db:
            for _ in range(count):
                cart = carts.create_cart(session=db)
                carts.add_item(session=db, cart_id=cart.id, variant_id=self.VARIANT)
                carts.update_details(session=db, cart_id=cart.id, email=f"guest-{cart.id.lower()}@example.com",
                                     address={"first_name": "Grace", "last_name": "Hopper",
                                              "address_1": "1 Harbour Street", "city": "Arlington",
                                              "postal_code": "22201", "country_code": "us"})
                ids.append(cart.id)
            db.commit()
        return ids
