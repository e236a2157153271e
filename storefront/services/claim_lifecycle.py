"""A claim's life, in one place: its states, the one way it moves between them, and what each state says.

    pending ──confirm──────────> confirmed    (the requester, through the link; the orders join their account)
       │────decline──────────> declined     (whoever holds the order's email, through the link)
       │────cancel───────────> cancelled    (the requester, from My orders or v2's cancel)
       │────send again / ask again──> superseded (a new claim, with a new link, takes over its open orders)
       │────order joins an account another way──> resolved (every order it asked for is in an account now)
       └────time passes──────> expired      (pending past `expires_at`: the clock's, never a write)

Every move is one conditional UPDATE from "pending", so of two requests racing, exactly one sees its row change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, update
from sqlmodel import Session, select

from storefront.models import ClaimOrder, ClaimRequest, Order
from storefront.services import history
from storefront.services.errors import (
    ClaimAlreadyYours,
    ClaimCancelled,
    ClaimDeclined,
    ClaimError,
    ClaimJoinedElsewhere,
    ClaimSuperseded,
    ClaimTokenExpired,
    ClaimTokenUsed,
)

PENDING = "pending"
ENDINGS = frozenset({"confirmed", "declined", "cancelled", "superseded", "resolved"})
_DATED_REFUSALS = {"confirmed": ClaimTokenUsed, "declined": ClaimDeclined, "cancelled": ClaimCancelled}
_MAX_CHAIN = 100  # superseded links followed to the newest; a customer makes at most a few an hour


def state_of(claim: ClaimRequest, now: datetime) -> str:
    """The claim's state as people see it: its stored status, or "expired" for a pending one past its time."""
    return "expired" if claim.status == PENDING and claim.expires_at < now else claim.status


def move(session: Session, claim_id: str, to: str, now: datetime, *conditions: object, **values: object) -> bool:
    """Move a pending claim to `to`; False if it was not pending any more (or `conditions` did not hold).

    The only place a claim's status is written.
    """
    if to not in ENDINGS:
        raise ValueError(f"a claim cannot move to {to!r}")
    changed = session.exec(
        update(ClaimRequest)
        .where(ClaimRequest.id == claim_id, ClaimRequest.status == PENDING, *conditions)
        .values(status=to, decided_at=now, **values)
    ).rowcount
    return changed == 1


def open_order_ids(session: Session, claim_id: str) -> list[str]:
    """The orders this claim still asks for (those that joined an account another way are closed)."""
    return list(session.exec(
        select(ClaimOrder.order_id).where(ClaimOrder.claim_id == claim_id, ClaimOrder.open)
        .order_by(ClaimOrder.order_id)
    ).all())


def order_ids(session: Session, claim_id: str) -> list[str]:
    """Every order the claim asked for, open or not."""
    return list(session.exec(
        select(ClaimOrder.order_id).where(ClaimOrder.claim_id == claim_id).order_by(ClaimOrder.order_id)
    ).all())


def open_claims(session: Session, *, order_ids: list[str] | None = None, customer_id: int | None = None,
                now: datetime | None = None, newest_first: bool = False) -> list[ClaimRequest]:
    """Pending claims that still ask for an order: any of `order_ids` when given, only the customer's when given,
    only those not yet expired when `now` is given; oldest first unless `newest_first`."""
    held = select(ClaimOrder.claim_id).where(ClaimOrder.open)
    if order_ids is not None:
        held = held.where(ClaimOrder.order_id.in_(order_ids))
    order = (ClaimRequest.created_at, ClaimRequest.id)
    statement = (
        select(ClaimRequest).where(ClaimRequest.status == PENDING, ClaimRequest.id.in_(held))
        .order_by(*(column.desc() for column in order) if newest_first else order)
    )
    if customer_id is not None:
        statement = statement.where(ClaimRequest.customer_id == customer_id)
    if now is not None:
        statement = statement.where(ClaimRequest.expires_at >= now)
    return list(session.exec(statement).all())


def lock_unowned(session: Session, order_ids: list[str]) -> list[str]:
    """Lock these orders' rows, in ID order, and return those still without an account (a no-op on SQLite, where a
    write transaction already holds the whole database)."""
    if not order_ids:
        return []
    return list(session.exec(
        select(Order.id).where(Order.id.in_(order_ids), Order.customer_id.is_(None))
        .order_by(Order.id).with_for_update()
    ).all())


def join_account(session: Session, *, order_ids: list[str], customer_id: int, now: datetime,
                 claim_id: str | None = None, event: str = "confirmed") -> list[str]:
    """Give guest orders to an account, and end every other claim's hold on them, in the caller's transaction.

    The one way an existing order joins an account. Orders are taken one by one in ID order with a conditional
    UPDATE, so two confirms racing on PostgreSQL wait for each other in the same order (never a deadlock) and an
    order someone else took meanwhile is simply not taken.

    Returns:
        The IDs of the orders that joined (those still without an account).
    """
    joined = [
        order_id for order_id in sorted(set(order_ids))
        if session.exec(update(Order).where(Order.id == order_id, Order.customer_id.is_(None))
                        .values(customer_id=customer_id)).rowcount == 1
    ]
    if joined:
        history.record(session, order_ids=joined, type=event, actor="customer", customer_id=customer_id,
                       claim_id=claim_id, now=now)
        resolve_others(session, order_ids=joined, keep_claim_id=claim_id, now=now)
    return joined


def resolve_others(session: Session, *, order_ids: list[str], keep_claim_id: str | None, now: datetime) -> None:
    """Close every other open claim's hold on orders that just joined an account; a claim with nothing left to
    ask for ends as resolved."""
    holds = session.exec(
        select(ClaimOrder.claim_id, ClaimOrder.order_id, ClaimRequest.customer_id)
        .join(ClaimRequest, ClaimRequest.id == ClaimOrder.claim_id)
        .where(ClaimOrder.order_id.in_(order_ids), ClaimOrder.open, ClaimRequest.status == PENDING)
    ).all()
    for claim_id, order_id, requester in holds:
        if claim_id == keep_claim_id:
            continue
        session.exec(update(ClaimOrder).where(ClaimOrder.claim_id == claim_id, ClaimOrder.order_id == order_id)
                     .values(open=False))
        history.record(session, order_ids=[order_id], type="resolved", actor="system", customer_id=requester,
                       claim_id=claim_id, now=now)
    for claim_id in dict.fromkeys(claim_id for claim_id, _, _ in holds if claim_id != keep_claim_id):
        still_open = exists().where(ClaimOrder.claim_id == claim_id, ClaimOrder.open)
        move(session, claim_id, "resolved", now, ~still_open)


def refusal(session: Session, claim: ClaimRequest, now: datetime, viewer_id: int | None = None) -> ClaimError | None:
    """Why this claim's link can no longer be used, as the viewer should read it; None while it can be.

    Args:
        session: Database session.
        claim: The claim, as stored now.
        now: The clock.
        viewer_id: The customer looking (None: the order email's owner, or nobody logged in). "Already in your
            account" is said only to the customer whose account it is; anyone else hears "another account".
    """
    state = state_of(claim, now)
    if state == PENDING:
        return None
    if state == "expired":
        return ClaimTokenExpired(claim.expires_at)
    if state in _DATED_REFUSALS:
        return _DATED_REFUSALS[state](claim.decided_at)
    if state == "superseded":
        newest = _newest(session, claim)
        return ClaimSuperseded(newest.created_at, newest.order_email)
    owners = set(session.exec(
        select(Order.customer_id).join(ClaimOrder, ClaimOrder.order_id == Order.id)
        .where(ClaimOrder.claim_id == claim.id)
    ).all())
    return ClaimAlreadyYours() if viewer_id is not None and owners == {viewer_id} else ClaimJoinedElsewhere()


def _newest(session: Session, claim: ClaimRequest) -> ClaimRequest:
    """The claim that took over from a superseded one, following the chain to its end."""
    for _ in range(_MAX_CHAIN):
        following = session.get(ClaimRequest, claim.superseded_by) if claim.superseded_by else None
        if following is None:
            break
        claim = following
    return claim


def ensure_usable(session: Session, claim: ClaimRequest, now: datetime, viewer_id: int | None = None) -> None:
    """Raise the refusal for a claim whose link can no longer be used."""
    error = refusal(session, claim, now, viewer_id)
    if error is not None:
        raise error


def reload(session: Session, claim: ClaimRequest) -> ClaimRequest:
    """The claim as stored now (after a conditional UPDATE found it changed)."""
    session.refresh(claim)
    return claim
