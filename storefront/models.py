"""Database tables (SQLModel). Schema changes go through Alembic: `reflex db makemigrations`."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel


def utcnow() -> datetime:
    """Aware UTC now: SQLModel stores every datetime column as UTC."""
    return datetime.now(UTC)


class Customer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased and trimmed: the uniqueness is case-insensitive.
    email: str = Field(sa_column=Column(sa.String(254), unique=True, index=True, nullable=False))
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)


class AuthSession(SQLModel, table=True):
    """A login. The browser holds a random token; only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(sa.String(64), unique=True, index=True, nullable=False))
    customer_id: int = Field(foreign_key="customer.id", index=True)
    # A ticket is a one-minute, single-use handoff from the UI's login form to the cookie endpoint.
    is_ticket: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    last_seen_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class Registration(SQLModel, table=True):
    """An email and password waiting for their customer (Medusa v2 registers a login first; POST /store/customers
    with the registration's bearer token then creates the customer). Used once; only the password's hash is kept."""

    id: str = Field(primary_key=True, max_length=40)
    email: str = Field(max_length=254)
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class Product(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=40)
    handle: str = Field(sa_column=Column(sa.String(100), unique=True, nullable=False))
    title: str = Field(max_length=200)
    description: str = ""
    thumbnail: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class Variant(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=40)
    product_id: str = Field(foreign_key="product.id", index=True)
    title: str = Field(max_length=200)
    price: int  # in cents
    currency_code: str = Field(default="eur", max_length=3)


class ShippingAddress(SQLModel):
    """The address fields a cart collects and an order keeps (Medusa's shipping_address)."""

    first_name: str = ""
    last_name: str = ""
    address_1: str = ""
    city: str = ""
    postal_code: str = ""
    country_code: str = ""


class Cart(ShippingAddress, table=True):
    id: str = Field(primary_key=True, max_length=40)
    email: str | None = None
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    completed_at: datetime | None = None
    order_id: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


class CartLine(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    cart_id: str = Field(foreign_key="cart.id", index=True)
    variant_id: str = Field(foreign_key="variant.id")
    quantity: int


class Order(ShippingAddress, table=True):
    # The integer key doubles as the human "display number"; `id` is the public, unguessable ID.
    display_id: int | None = Field(default=None, primary_key=True)
    id: str = Field(sa_column=Column(sa.String(40), unique=True, index=True, nullable=False))
    email: str = Field(max_length=254, index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    currency_code: str = "eur"
    subtotal: int = 0
    shipping_total: int = 0
    total: int = 0
    # Medusa's three states of an order, with Medusa's names (services/orders.py lists the values). Checkout
    # takes the payment at once and ships nothing here, so a new order is pending, captured, not fulfilled.
    status: str = Field(default="pending", max_length=20)
    fulfillment_status: str = Field(default="not_fulfilled", max_length=30)
    payment_status: str = Field(default="captured", max_length=30)
    created_at: datetime = Field(default_factory=utcnow)


class OrderLine(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(foreign_key="order.id", index=True)
    variant_id: str = Field(max_length=40)
    title: str
    quantity: int
    unit_price: int


class ClaimRequest(SQLModel, table=True):
    """One customer's request for guest orders that share one order email, and the one link mailed for it.

    The link is the row: a random token, signed when mailed, stored only as a UNIQUE hash, with `expires_at`
    its one clock. Send again supersedes the row with a new one, so a row never has two links. Its life is
    services/claim_lifecycle.py's to change: pending -> confirmed | declined | cancelled | superseded | resolved
    (expired is pending past `expires_at`).
    """

    id: str = Field(primary_key=True, max_length=40)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    order_email: str = Field(max_length=254)
    token_hash: str = Field(sa_column=Column(sa.String(64), unique=True, index=True, nullable=False))
    status: str = Field(default="pending", max_length=20, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    decided_at: datetime | None = None
    superseded_by: str | None = Field(default=None, max_length=40)


class ClaimOrder(SQLModel, table=True):
    """An order in a claim. `open` turns false when the order joins an account through another claim or path,
    so "which claims are open on this order?" is one indexed query."""

    claim_id: str = Field(foreign_key="claimrequest.id", primary_key=True, max_length=40)
    order_id: str = Field(foreign_key="order.id", primary_key=True, max_length=40, index=True)
    open: bool = True


class OrderEvent(SQLModel, table=True):
    """One line of an order's history; rows are only ever added.

    `actor` is who did it: "customer" (customer_id), "order_email" (whoever holds the order's email), or
    "system". `email` is where a link was sent; `claim_id` ties claim events together.
    """

    id: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(foreign_key="order.id", index=True, max_length=40)
    type: str = Field(max_length=20)
    actor: str = Field(max_length=20)
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    claim_id: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    created_at: datetime = Field(default_factory=utcnow)


class PasswordReset(SQLModel, table=True):
    """One emailed password-reset link; only its secret's SHA-256 is stored (UNIQUE: the link finds its row by
    it), `expires_at` is its one clock, and it works once."""

    id: str = Field(primary_key=True, max_length=40)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    token_hash: str = Field(sa_column=Column(sa.String(64), unique=True, index=True, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class OutboxMessage(SQLModel, table=True):
    """Every email, stored before any delivery is tried, so none is lost when SMTP fails."""

    id: int | None = Field(default=None, primary_key=True)
    to: str = Field(max_length=254, index=True)
    # Stored by the request as a template's name and its data; the courier (or the first reader) renders the
    # three parts and clears `data`, so rendering never runs on the request path.
    template: str | None = Field(default=None, max_length=40)
    data: dict | None = Field(default=None, sa_column=Column(sa.JSON(none_as_null=True), nullable=True))
    subject: str = Field(default="", max_length=300)
    text: str = ""
    html: str = ""
    created_at: datetime = Field(default_factory=utcnow, index=True)
    status: str = Field(default="pending", max_length=20, index=True)  # pending | sent | failed
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    read_at: datetime | None = None  # first opened in the outbox viewer (its header link counts the unread)


TABLES: tuple[type[SQLModel], ...] = (
    Customer, AuthSession, Registration, Product, Variant, Cart, CartLine, Order, OrderLine,
    ClaimRequest, ClaimOrder, OrderEvent, PasswordReset, OutboxMessage,
)
