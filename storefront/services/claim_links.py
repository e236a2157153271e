"""Using a claim link: what it would do, confirming it, declining it, and the requests its order email was sent.

A link is found by its token whatever its claim's state; claim_lifecycle.refusal says why it can no longer be used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from storefront.models import ClaimRequest, Customer, Order, utcnow
from storefront.services import claim_lifecycle as lifecycle
from storefront.services import history, outbox
from storefront.services.errors import ClaimError, ClaimForbidden, ClaimJoinedElsewhere, ClaimTokenInvalid, NotFound
from storefront.services.ids import normalize_id
from storefront.services.orders import OrderView, with_lines
from storefront.services.tokens import LinkSigner, link_signer


@dataclass
class ClaimPreview:
    """What a link would do, or why it cannot: shown on /verify and /decline before anything changes."""

    claim: ClaimRequest
    customer: Customer
    orders: list[OrderView]


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("The account that asked for this claim no longer exists.")
    return customer


def find(session: Session, token: object, signer: LinkSigner | None = None) -> ClaimRequest:
    """The claim a link's token belongs to, whatever its state.

    Raises:
        ClaimTokenInvalid: Tampered, malformed, signed with a retired key, or no claim has it.
    """
    token_hash = (signer or link_signer()).hash_of(token)
    claim = session.exec(select(ClaimRequest).where(ClaimRequest.token_hash == token_hash)).first()
    if claim is None:
        raise ClaimTokenInvalid()
    return claim


def _for_order(session: Session, claim: ClaimRequest, order_id: str | None) -> None:
    """Medusa v2 names the order in the path: the token must be for it."""
    if order_id is not None and normalize_id("order", order_id) not in lifecycle.order_ids(session, claim.id):
        raise ClaimTokenInvalid("This token is for another order.")


def preview_claim(*, session: Session, token: str, viewer_id: int | None = None,
                  now: datetime | None = None) -> ClaimPreview:
    """What confirming this link would do, changing nothing (mail scanners open links).

    Raises:
        ClaimError: The link cannot be used, saying why (see claim_lifecycle.refusal).
    """
    claim = find(session, token)
    lifecycle.ensure_usable(session, claim, now or utcnow(), viewer_id)
    orders = session.exec(select(Order).where(Order.id.in_(lifecycle.open_order_ids(session, claim.id)))).all()
    return ClaimPreview(claim=claim, customer=_customer(session, claim.customer_id),
                        orders=with_lines(session=session, orders=orders))


def confirm_claim(*, session: Session, customer_id: int, token: str, order_id: str | None = None,
                  event: str = "confirmed", now: datetime | None = None) -> list[OrderView]:
    """Attach the orders of a claim link to the customer who asked for it.

    The orders are taken first, then the claim moves to confirmed; both are conditional, so of two confirms
    racing (on one claim, or on two claims of one order) exactly one wins, and every other open claim on the
    orders ends as resolved in the same transaction. The orders keep the email they were placed with.

    Args:
        session: Database session.
        customer_id: The logged-in customer confirming.
        token: The link's token.
        order_id: The order Medusa v2's accept names in its path; the token must be for it.
        event: The history event: "confirmed" (v1 and the UI) or "transferred" (v2's accept).
        now: Clock override (tests).

    Returns:
        The orders that joined the customer's account (never none: that is an error saying why).

    Raises:
        ClaimTokenInvalid: Tampered, malformed, unknown, signed with a retired key, or for another order.
        ClaimForbidden: Asked for by another customer.
        ClaimError: Otherwise unusable, saying why: expired, used, declined, cancelled, replaced by a newer link,
            already in this account, or joined to another one (also the loser of a race).
    """
    now = now or utcnow()
    claim = find(session, token)
    _for_order(session, claim, order_id)
    lifecycle.ensure_usable(session, claim, now, customer_id)
    if claim.customer_id != customer_id:
        raise ClaimForbidden()
    joined = lifecycle.join_account(session, order_ids=lifecycle.open_order_ids(session, claim.id),
                                    customer_id=customer_id, now=now, claim_id=claim.id, event=event)
    if not joined or not lifecycle.move(session, claim.id, "confirmed", now, ClaimRequest.expires_at >= now):
        # Another confirm or a Send again won the race: say what happened; raising rolls back what we changed.
        raise _lost_race(session, claim, now, customer_id)
    orders = session.exec(select(Order).where(Order.id.in_(joined)).execution_options(populate_existing=True)).all()
    return with_lines(session=session, orders=orders)


def _lost_race(session: Session, claim: ClaimRequest, now: datetime, viewer_id: int | None) -> ClaimError:
    """The refusal for a claim that changed between reading it and moving it."""
    return lifecycle.refusal(session, lifecycle.reload(session, claim), now, viewer_id) or ClaimJoinedElsewhere()


def requests_history(*, session: Session, token: str) -> list[history.EventLine]:
    """The history of the orders a claim link asks for, as the owner of the order's email may read it (on
    /decline, whatever state the claim is in now): every request made for them, never which account they joined.

    Raises:
        ClaimTokenInvalid: Not a link of ours.
    """
    claim = find(session, token)
    return history.lines(session, lifecycle.order_ids(session, claim.id), audience="order_email")


def decline_claim(*, session: Session, token: str, order_id: str | None = None,
                  now: datetime | None = None) -> ClaimRequest:
    """The order email's owner says "this was not me": end the request and tell the customer who asked.

    No login is needed: holding the emailed link is the proof. `order_id` is the order Medusa v2's decline
    names in its path; the token must be for it.

    Raises:
        The errors of preview_claim; ClaimTokenInvalid also for a token of another order.
    """
    now = now or utcnow()
    claim = find(session, token)
    _for_order(session, claim, order_id)
    lifecycle.ensure_usable(session, claim, now)
    asked = lifecycle.open_order_ids(session, claim.id)
    if not lifecycle.move(session, claim.id, "declined", now, ClaimRequest.expires_at >= now):
        raise _lost_race(session, claim, now, None)
    history.record(session, order_ids=asked, type="declined", actor="order_email", customer_id=claim.customer_id,
                   claim_id=claim.id, now=now)
    customer = _customer(session, claim.customer_id)
    outbox.queue(session=session, to=customer.email, template="claim_declined", customer_name=customer.first_name,
                 order_email=claim.order_email, order_ids=asked)
    return lifecycle.reload(session, claim)
