"""Claiming guest orders: ask for a link per order email, then confirm, decline, cancel or send it again.

This is Medusa v1's claim-order flow with its holes closed: only the customer who asked can confirm, a link
works once, orders keep the email they were placed with, and the answer to a request never says whether an
order exists. As in Medusa, asking is an event: the request stores the claim, its history rows and an outbox
row naming the template and its data; the courier renders and sends the mail (see services/outbox.py).
How a claim moves between its states is claim_lifecycle.py's; this module decides when.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlmodel import Session, select

from storefront import routes
from storefront.config import get_settings
from storefront.mail.render import duration
from storefront.models import ClaimOrder, ClaimRequest, Customer, Order, utcnow
from storefront.services import claim_lifecycle as lifecycle
from storefront.services import history, inputs, outbox, ratelimit
from storefront.services.errors import (
    ClaimError,
    ClaimForbidden,
    ClaimJoinedElsewhere,
    ClaimTokenInvalid,
    NotFound,
    TooManyAttempts,
)
from storefront.services.ids import new_id, normalize_id
from storefront.services.orders import OrderView, with_lines
from storefront.services.tokens import LinkSigner, link_signer

logger = logging.getLogger(__name__)

CUSTOMER_LIMIT = 5  # claim requests per customer per hour: told honestly, it is about the asker
ORDER_LIMIT = 5  # verification emails per order per hour: silent, or it would tell which orders exist
CUSTOMER_RULE = ratelimit.Rule("claim-customer", f"{CUSTOMER_LIMIT}/hour")
ORDER_RULE = ratelimit.Rule("claim-order", f"{ORDER_LIMIT}/hour")


@dataclass
class ClaimPreview:
    """What a link would do, or why it cannot: shown on /verify and /decline before anything changes."""

    claim: ClaimRequest
    customer: Customer
    orders: list[OrderView]


@dataclass
class OpenClaim:
    """A claim on the customer's list of pending claims."""

    claim: ClaimRequest
    order_ids: list[str]


def request_claim(*, session: Session, customer_id: int, order_ids: str | list[object], base_url: str | None = None,
                  now: datetime | None = None) -> int:
    """Ask to add guest orders to a customer's account: one link per distinct order email.

    Orders that do not exist or already belong to someone are skipped without a word, and so are orders over
    their own limit, so the answer is the same in every case and cannot be used to find out which IDs exist.
    Orders whose email equals the account's go through the link too: account emails are not verified at
    sign-up, so a match proves nothing. Asking again for orders the customer already has an open claim on
    replaces that claim (its link stops working) instead of adding a second one.

    Args:
        session: Database session.
        customer_id: The logged-in customer asking.
        order_ids: A list of IDs (API) or text with IDs separated by spaces, commas or new lines (form).
        base_url: Link base override (tests).
        now: Clock override (tests).

    Returns:
        How many distinct IDs were received (the same whether or not they exist).

    Raises:
        InvalidInput: The IDs are missing, too many, or malformed.
        NotFound: The customer's account is gone.
        TooManyAttempts: The customer asked for CUSTOMER_LIMIT links in the last hour; says until when.
    """
    ids = inputs.order_ids(order_ids)
    orders = session.exec(select(Order).where(Order.id.in_(ids), Order.customer_id.is_(None))).all()
    send_links(session=session, customer_id=customer_id, orders=sorted(orders, key=lambda o: ids.index(o.id)),
               base_url=base_url, now=now)
    return len(ids)


def send_links(*, session: Session, customer_id: int, orders: list[Order], base_url: str | None = None,
               now: datetime | None = None) -> list[ClaimRequest]:
    """The one way claims are asked for (request_claim here, request_transfer in transfers.py).

    Counts the request against the customer's limit, then makes one claim, and one email with its /verify and
    /decline links, per distinct order email. Orders over their own limit are skipped without a word.

    Raises:
        NotFound: The customer's account is gone.
        TooManyAttempts: The customer asked for CUSTOMER_LIMIT links in the last hour; says until when.
    """
    customer = _customer(session, customer_id)
    _count_customer_request(customer_id)
    now = now or utcnow()
    groups: dict[str, list[str]] = {}
    for order in orders:
        if ratelimit.allow(ORDER_RULE, order.id):
            groups.setdefault(order.email.lower(), []).append(order.id)
        else:
            logger.warning("claim request over the per-order limit; order skipped")
    return [_new_claim(session, customer, order_email, group, now=now, base_url=base_url)
            for order_email, group in groups.items()]


def _new_claim(session: Session, customer: Customer, order_email: str, order_ids: list[str], *, now: datetime,
               base_url: str | None, replaces: ClaimRequest | None = None) -> ClaimRequest:
    """A pending claim with its link, history and email; it takes over the customer's open claims on these orders."""
    claim_id = new_id("claim")
    previous = [replaces] if replaces else lifecycle.open_claims(session, order_ids=order_ids, customer_id=customer.id)
    asked = list(order_ids)
    for old in previous:
        if not lifecycle.move(session, old.id, "superseded", now, superseded_by=claim_id):
            raise NotFound("That claim is no longer pending.")  # confirmed or cancelled meanwhile
        asked += [order_id for order_id in lifecycle.open_order_ids(session, old.id) if order_id not in asked]
    token, token_hash = link_signer().new()
    settings = get_settings()
    claim = ClaimRequest(id=claim_id, customer_id=customer.id, order_email=order_email, token_hash=token_hash,
                         created_at=now, expires_at=now + timedelta(seconds=settings.claim_token_max_age))
    session.add(claim)
    session.flush()  # the claim's row first: its orders' rows refer to it
    session.exec(insert(ClaimOrder), params=[{"claim_id": claim_id, "order_id": order_id, "open": True}
                                             for order_id in asked])
    history.record(session, order_ids=asked, type="resent" if replaces else "claim_requested", actor="customer",
                   customer_id=customer.id, claim_id=claim_id, now=now)
    history.record(session, order_ids=asked, type="link_sent", actor="system", customer_id=customer.id,
                   claim_id=claim_id, email=order_email, now=now)
    base_url = base_url or settings.base_url
    outbox.queue(
        session=session, to=order_email, template="claim_request",
        customer_name=f"{customer.first_name} {customer.last_name}", customer_email=customer.email,
        order_email=order_email, order_ids=asked, lifetime=duration(settings.claim_token_max_age),
        verify_url=routes.verify_url(base_url, token), decline_url=routes.decline_url(base_url, token),
    )
    return claim


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("Your account could not be found. Log in again.")
    return customer


def _count_customer_request(customer_id: int) -> None:
    """Count one link asked for by this customer, or say honestly until when they must wait."""
    if not ratelimit.allow(CUSTOMER_RULE, customer_id):
        wait = ratelimit.retry_after(CUSTOMER_RULE, customer_id) or 1
        again = (utcnow() + timedelta(seconds=wait)).strftime("%H:%M UTC")
        raise TooManyAttempts(f"You have asked for {CUSTOMER_LIMIT} links in the last hour; you can ask again "
                              f"after {again}.", retry_after=wait)


def _own_claim(session: Session, customer_id: int, claim_id: object) -> ClaimRequest:
    usable = isinstance(claim_id, str) and len(claim_id) <= inputs.MAX_ID
    clean = normalize_id("claim", claim_id) if usable else None
    claim = session.get(ClaimRequest, clean) if clean else None
    if claim is None or claim.customer_id != customer_id or claim.status != lifecycle.PENDING:
        raise NotFound("That claim is no longer pending.")
    return claim


def resend_claim(*, session: Session, customer_id: int, claim_id: str, base_url: str | None = None,
                 now: datetime | None = None) -> ClaimRequest:
    """Send again: a new claim with a fresh link and expiry takes over a pending (or expired) one, whose link stops
    working and then says that a newer one was sent. It counts against the same per-customer limit as asking.

    Returns:
        The new claim.

    Raises:
        NotFound: No pending claim with this ID belongs to the customer.
        TooManyAttempts: The customer asked for CUSTOMER_LIMIT links in the last hour; says until when.
    """
    now = now or utcnow()
    claim = _own_claim(session, customer_id, claim_id)
    customer = _customer(session, customer_id)
    _count_customer_request(customer_id)
    return _new_claim(session, customer, claim.order_email, [], now=now, base_url=base_url, replaces=claim)


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


def cancel_claim(*, session: Session, customer_id: int, claim_id: str, now: datetime | None = None) -> None:
    """The customer who asked withdraws a pending claim; its link stops working.

    Raises:
        NotFound: No pending claim with this ID belongs to the customer.
    """
    now = now or utcnow()
    claim = _own_claim(session, customer_id, claim_id)
    asked = lifecycle.open_order_ids(session, claim.id)
    if not lifecycle.move(session, claim.id, "cancelled", now):
        raise NotFound("That claim is no longer pending.")
    history.record(session, order_ids=asked, type="cancelled", actor="customer", customer_id=customer_id,
                   claim_id=claim.id, now=now)


def list_claims(*, session: Session, customer_id: int, now: datetime | None = None) -> list[OpenClaim]:
    """The customer's claims still waiting for confirmation (pending and not expired), newest first."""
    claims = lifecycle.open_claims(session, customer_id=customer_id, now=now or utcnow(), newest_first=True)
    return [OpenClaim(claim=claim, order_ids=lifecycle.open_order_ids(session, claim.id)) for claim in claims]
