"""An order's history: rows are only added, and read back as sentences for the people allowed to see them.

The owner of an order sees its whole story on /orders/<id> and over REST. The owner of the order's *email*
(holding a claim link, on /decline) sees the requests made for it, but never which account an order joined.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, select

from storefront.models import Customer, OrderEvent, utcnow
from storefront.services.errors import NotFound
from storefront.services.orders import OrderView, get_order

TYPES = ("placed", "claim_requested", "link_sent", "resent", "declined", "cancelled", "confirmed", "transferred",
         "resolved")
ACTORS = ("customer", "order_email", "system")


@dataclass(frozen=True)
class EventLine:
    """One event as a person reads it."""

    type: str
    actor: str
    created_at: datetime
    message: str
    claim_id: str | None
    email: str | None


@dataclass(frozen=True)
class OrderStory:
    view: OrderView
    events: list[EventLine]


def record(session: Session, *, order_ids: list[str], type: str, actor: str, customer_id: int | None = None,
           claim_id: str | None = None, email: str | None = None, now: datetime | None = None) -> None:
    """Add one event per order (part of the caller's transaction, written at once)."""
    if type not in TYPES or actor not in ACTORS:
        raise ValueError(f"unknown event {type!r} by {actor!r}")
    if order_ids:
        # One executemany, not ORM objects: rows nobody reads back in this transaction need no unit of work.
        now = now or utcnow()
        session.exec(insert(OrderEvent), params=[
            {"order_id": order_id, "type": type, "actor": actor, "customer_id": customer_id, "claim_id": claim_id,
             "email": email, "created_at": now} for order_id in order_ids])


def order_story(*, session: Session, customer_id: int, order_id: object) -> OrderStory:
    """An order with its whole history, for its owner only.

    Raises:
        NotFound: No such order, or it is not this customer's (the same answer, so IDs cannot be probed).
    """
    try:
        view = get_order(session=session, order_id=order_id) if isinstance(order_id, str) else None
    except NotFound:
        view = None
    if view is None or view.order.customer_id != customer_id:
        raise NotFound("We could not find that order in your account.")
    return OrderStory(view=view, events=lines(session, [view.order.id], audience="owner"))


def lines(session: Session, order_ids: list[str], *, audience: str) -> list[EventLine]:
    """The events of these orders, oldest first, as `audience` ("owner" or "order_email") reads them."""
    rows = session.exec(
        select(OrderEvent, Customer)
        .join(Customer, Customer.id == OrderEvent.customer_id, isouter=True)
        .where(OrderEvent.order_id.in_(order_ids))
        .order_by(OrderEvent.created_at, OrderEvent.id)
    ).all()
    return [EventLine(type=event.type, actor=event.actor, created_at=event.created_at,
                      message=sentence(event, customer, audience=audience), claim_id=event.claim_id,
                      email=event.email)
            for event, customer in rows]


def _name(customer: Customer | None) -> str:
    if customer is None:
        return "A customer"
    return f"{customer.first_name} {customer.last_name}".strip() + f" ({customer.email})"


def sentence(event: OrderEvent, customer: Customer | None, *, audience: str = "owner") -> str:
    """What happened, in one sentence. The order email's owner is never told which account an order joined."""
    who = _name(customer)
    joined = ("The order joined an account." if audience != "owner" else None)
    match event.type:
        case "placed":
            if event.actor == "customer" and customer is not None:
                return f"Placed by {who}."
            return f"Placed as a guest with {event.email}." if event.email else "Placed as a guest."
        case "claim_requested":
            return f"{who} asked to add this order to their account."
        case "link_sent":
            return f"A confirmation link was sent to {event.email}."
        case "resent":
            return f"{who} asked for a new link; the earlier link stopped working."
        case "declined":
            return f"The owner of the order's email declined the request from {who}."
        case "cancelled":
            return f"{who} cancelled their request."
        case "confirmed":
            return joined or f"{who} confirmed the claim: the order joined their account."
        case "transferred":
            return joined or f"The order was transferred to the account of {who}."
        case "resolved":
            return f"The request from {who} ended: the order had joined an account."
    return event.type
