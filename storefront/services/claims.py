"""Claiming guest orders: ask for a link per order email, send it again, cancel it (claim_links.py uses it).

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
    NotFound,
    TooManyAttempts,
)
from storefront.services.ids import new_id, normalize_id
from storefront.services.tokens import link_signer

logger = logging.getLogger(__name__)

CUSTOMER_LIMIT = 5  # claim requests per customer per hour: told honestly, it is about the asker
ORDER_LIMIT = 5  # verification emails per order per hour: silent, or it would tell which orders exist
CUSTOMER_RULE = ratelimit.Rule("claim-customer", f"{CUSTOMER_LIMIT}/hour")
ORDER_RULE = ratelimit.Rule("claim-order", f"{ORDER_LIMIT}/hour")


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
    made = [_new_claim(session, customer, order_email, group, now=now, base_url=base_url)
            for order_email, group in groups.items()]
    return [claim for claim in made if claim is not None]


def _new_claim(session: Session, customer: Customer, order_email: str, order_ids: list[str], *, now: datetime,
               base_url: str | None, replaces: ClaimRequest | None = None) -> ClaimRequest | None:
    """A pending claim with its link, history and email; it takes over the customer's open claims on these orders.

    Returns None when none of the orders is still without an account (a request says nothing of that).
    """
    claim_id = new_id("claim")
    previous = [replaces] if replaces else lifecycle.open_claims(session, order_ids=order_ids, customer_id=customer.id)
    held = [order_id for old in previous for order_id in lifecycle.open_order_ids(session, old.id)]
    wanted = list(dict.fromkeys([*order_ids, *held]))
    # Two requests of one customer for the same orders must not both take over one open claim (and leave two
    # open): each locks the orders first, in ID order as a confirm does, then looks again with the lock held.
    asked = lifecycle.lock_unowned(session, wanted)
    if not replaces:
        previous = lifecycle.open_claims(session, order_ids=asked, customer_id=customer.id) if asked else []
    for old in previous:
        if lifecycle.move(session, old.id, "superseded", now, superseded_by=claim_id):
            asked += [order_id for order_id in lifecycle.open_order_ids(session, old.id) if order_id not in asked]
        elif replaces:
            raise NotFound("That claim is no longer pending.")  # confirmed or cancelled meanwhile
    if not asked:
        if replaces:
            raise NotFound("That claim is no longer pending.")
        return None
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
