"""Claiming guest orders: request a link per order email, then confirm or decline it.

This is Medusa v1's claim-order flow with its holes closed: only the customer who asked can confirm,
a link works once, orders keep the email they were placed with, and the answer to a request never
says whether an order exists.
"""

from __future__ import annotations

import hmac
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from storefront import routes
from storefront.config import get_settings
from storefront.mail.render import duration
from storefront.models import ClaimRequest, Customer, Order, utcnow
from storefront.services import inputs, outbox, ratelimit
from storefront.services.errors import (
    ClaimCancelled,
    ClaimDeclined,
    ClaimForbidden,
    ClaimTokenExpired,
    ClaimTokenInvalid,
    ClaimTokenUsed,
    InvalidInput,
    NotFound,
    TooManyAttempts,
)
from storefront.services.ids import new_id, normalize_id
from storefront.services.orders import OrderView, with_lines
from storefront.services.sessions import hash_token
from storefront.services.tokens import ClaimTokenSigner, default_signer

logger = logging.getLogger(__name__)

MAX_IDS = 20
CUSTOMER_LIMIT = 5  # claim requests per customer per hour: told honestly, it is about the asker
ORDER_LIMIT = 5  # verification emails per order per hour: silent, or it would tell which orders exist
CUSTOMER_RULE = ratelimit.Rule("claim-customer", f"{CUSTOMER_LIMIT}/hour")
ORDER_RULE = ratelimit.Rule("claim-order", f"{ORDER_LIMIT}/hour")
_SEPARATORS = re.compile(r"[\s,;]+")
_STATUS_ERRORS = {"confirmed": ClaimTokenUsed, "declined": ClaimDeclined, "cancelled": ClaimCancelled}


@dataclass
class ClaimPreview:
    """What a link would do: shown on /verify and /decline before anything changes."""

    claim: ClaimRequest
    customer: Customer
    orders: list[OrderView]


def parse_order_ids(raw: str | list[object]) -> list[str]:
    """Distinct, canonical order IDs from a form's text or an API list.

    Raises:
        InvalidInput: None given, more than MAX_IDS, or one is not an order ID (named in the message).
    """
    too_many = InvalidInput(f"Claim at most {MAX_IDS} orders at a time.", field="order_ids")
    if isinstance(raw, str):
        if len(raw) > inputs.MAX_CLAIM_TEXT:
            raise too_many
        items: list[object] = [part for part in _SEPARATORS.split(raw) if part]
    elif isinstance(raw, list):
        items = raw
    else:
        raise InvalidInput("order_ids must be a list of order IDs.", field="order_ids")
    if not items:
        raise InvalidInput("Enter at least one order ID, like order_01J...", field="order_ids")
    if len(items) > MAX_IDS * 5:  # repeats are merged below, but not without bound
        raise too_many
    ids: list[str] = []
    for item in items:
        usable = isinstance(item, str) and len(item) <= inputs.MAX_ID and inputs.is_clean_unicode(item)
        clean = normalize_id("order", item) if usable else None
        if clean is None:
            # Echo what was typed only when it is short, printable text; anything else is described.
            shown = f"“{item}”" if usable and item.isprintable() else "One of the values"
            raise InvalidInput(
                f"{shown} is not an order ID. Order IDs look like order_01J... (see your confirmation email).",
                field="order_ids",
            )
        if clean not in ids:
            ids.append(clean)
    if len(ids) > MAX_IDS:
        raise too_many
    return ids


def request_claim(
    *,
    session: Session,
    customer_id: int,
    order_ids: str | list[object],
    signer: ClaimTokenSigner | None = None,
    base_url: str | None = None,
    now: datetime | None = None,
) -> int:
    """Ask to add guest orders to a customer's account: one link per distinct order email.

    Orders that do not exist or already belong to someone are skipped without a word, and so are orders
    over their own limit, so the answer is the same in every case and cannot be used to find out which IDs
    exist. The customer's own limit is about the person asking, so it is told honestly. Orders whose email
    equals the account's go through the link too: account emails are not verified at sign-up, so a match
    proves nothing.

    Args:
        session: Database session.
        customer_id: The logged-in customer asking.
        order_ids: A list of IDs (API) or text with IDs separated by spaces, commas or new lines (form).
        signer: Token signer override (tests).
        base_url: Link base override (tests).
        now: Clock override (tests).

    Returns:
        How many distinct IDs were received (the same whether or not they exist).

    Raises:
        InvalidInput: The IDs are missing, too many, or malformed.
        TooManyAttempts: The customer asked for CUSTOMER_LIMIT links in the last hour; says until when.
    """
    ids = parse_order_ids(order_ids)
    orders = session.exec(select(Order).where(Order.id.in_(ids), Order.customer_id.is_(None))).all()
    send_links(session=session, customer_id=customer_id, orders=sorted(orders, key=lambda o: ids.index(o.id)),
               signer=signer, base_url=base_url, now=now)
    return len(ids)


def send_links(
    *,
    session: Session,
    customer_id: int,
    orders: list[Order],
    signer: ClaimTokenSigner | None = None,
    base_url: str | None = None,
    now: datetime | None = None,
) -> None:
    """The one way claim links go out (request_claim here, request_transfer in transfers.py).

    Counts the request against the customer's limit, then makes one claim request, and one email with its
    /verify and /decline links, per distinct order email. Orders over their own limit are skipped without a word.

    Raises:
        NotFound: The customer's account is gone.
        TooManyAttempts: The customer asked for CUSTOMER_LIMIT links in the last hour; says until when.
    """
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("Your account could not be found. Log in again.")
    _count_customer_request(customer_id)
    now = now or utcnow()
    signer = signer or default_signer()
    base_url = base_url or get_settings().base_url
    groups: dict[str, list[str]] = {}
    for order in orders:
        if ratelimit.allow(ORDER_RULE, order.id):
            groups.setdefault(order.email.lower(), []).append(order.id)
        else:
            logger.warning("claim request over the per-order limit; order skipped")
    for order_email, group_ids in groups.items():
        claim = ClaimRequest(id=new_id("claim"), customer_id=customer.id, order_email=order_email,
                             order_ids=group_ids, created_at=now,
                             expires_at=now + timedelta(seconds=signer.max_age))
        session.add(claim)
        _mail_link(session, claim, customer, signer, base_url)
    session.flush()


def _count_customer_request(customer_id: int) -> None:
    """Count one link asked for by this customer, or say honestly until when they must wait."""
    if not ratelimit.allow(CUSTOMER_RULE, customer_id):
        wait = ratelimit.retry_after(CUSTOMER_RULE, customer_id) or 1
        again = (utcnow() + timedelta(seconds=wait)).strftime("%H:%M UTC")
        raise TooManyAttempts(f"You have asked for {CUSTOMER_LIMIT} links in the last hour; you can ask again "
                              f"after {again}.", retry_after=wait)


def _mail_link(session: Session, claim: ClaimRequest, customer: Customer, signer: ClaimTokenSigner,
               base_url: str) -> None:
    """Give the claim a fresh token (only its hash is kept) and mail the link to the order email."""
    token = signer.make(claim.id)
    claim.token_hash = hash_token(token)
    session.add(claim)
    outbox.queue(
        session=session, to=claim.order_email, template="claim_request",
        customer_name=f"{customer.first_name} {customer.last_name}", customer_email=customer.email,
        order_email=claim.order_email, order_ids=claim.order_ids, lifetime=duration(signer.max_age),
        verify_url=routes.verify_url(base_url, token), decline_url=routes.decline_url(base_url, token),
    )


def resend_claim(
    *,
    session: Session,
    customer_id: int,
    claim_id: str,
    signer: ClaimTokenSigner | None = None,
    base_url: str | None = None,
    now: datetime | None = None,
) -> ClaimRequest:
    """Mail a pending claim's link again: a fresh link with a fresh expiry; the previous link stops working.

    It counts against the same per-customer limit as asking, told as honestly.

    Raises:
        NotFound: No pending claim with this ID belongs to the customer.
        TooManyAttempts: The customer asked for CUSTOMER_LIMIT links in the last hour; says until when.
    """
    now, signer = now or utcnow(), signer or default_signer()
    clean = normalize_id("claim", claim_id) if isinstance(claim_id, str) and len(claim_id) <= inputs.MAX_ID else None
    claim = session.get(ClaimRequest, clean) if clean else None
    if claim is None or claim.customer_id != customer_id or claim.status != "pending":
        raise NotFound("That claim is no longer pending.")
    _count_customer_request(customer_id)
    claim.created_at, claim.expires_at = now, now + timedelta(seconds=signer.max_age)
    _mail_link(session, claim, session.get(Customer, customer_id), signer, base_url or get_settings().base_url)
    session.flush()
    return claim


def _claim_for_token(session: Session, token: str, signer: ClaimTokenSigner) -> ClaimRequest:
    claim_id = signer.read(token)
    claim = session.get(ClaimRequest, claim_id)
    if claim is None or not hmac.compare_digest(claim.token_hash, hash_token(token)):
        raise ClaimTokenInvalid()
    return claim


def _for_order(claim: ClaimRequest, order_id: str | None) -> None:
    """Medusa v2 names the order in the path: the token must be for it."""
    if order_id is not None and normalize_id("order", order_id) not in claim.order_ids:
        raise ClaimTokenInvalid("This token is for another order.")


def _usable(claim: ClaimRequest, now: datetime) -> None:
    error = _STATUS_ERRORS.get(claim.status)
    if error is not None:
        raise error()
    if claim.expires_at < now:
        raise ClaimTokenExpired()


def _decide(session: Session, claim_id: str, status: str, now: datetime, *conditions) -> bool:
    """Move a pending claim to `status`; False if it was not pending any more.

    One conditional UPDATE: of two requests racing, exactly one sees its row change.
    """
    changed = session.exec(
        update(ClaimRequest)
        .where(ClaimRequest.id == claim_id, ClaimRequest.status == "pending", *conditions)
        .values(status=status, decided_at=now)
    ).rowcount
    return changed == 1


def preview_claim(
    *, session: Session, token: str, signer: ClaimTokenSigner | None = None, now: datetime | None = None
) -> ClaimPreview:
    """What confirming this link would do, changing nothing (mail scanners open links).

    Raises:
        ClaimTokenInvalid, ClaimTokenExpired, ClaimTokenUsed, ClaimDeclined, ClaimCancelled.
    """
    claim = _claim_for_token(session, token, signer or default_signer())
    _usable(claim, now or utcnow())
    customer = session.get(Customer, claim.customer_id)
    orders = session.exec(select(Order).where(Order.id.in_(claim.order_ids))).all()
    return ClaimPreview(claim=claim, customer=customer, orders=with_lines(session=session, orders=orders))


def confirm_claim(
    *,
    session: Session,
    customer_id: int,
    token: str,
    order_id: str | None = None,
    signer: ClaimTokenSigner | None = None,
    now: datetime | None = None,
) -> list[OrderView]:
    """Attach the orders of a claim link to the customer who asked for it.

    The request is marked confirmed with a conditional update, so of two confirms racing exactly one
    wins; the orders keep the email they were placed with. Orders that someone else got in the
    meantime are left alone.

    Args:
        session: Database session.
        customer_id: The logged-in customer confirming.
        token: The link's token.
        order_id: The order Medusa v2's accept names in its path; the token must be for it.
        signer: Token signer override (tests).
        now: Clock override (tests).

    Returns:
        The orders that now belong to the customer.

    Raises:
        ClaimTokenInvalid: Tampered, malformed, unknown, signed with a retired key, or for another order.
        ClaimTokenExpired: Older than CLAIM_TOKEN_MAX_AGE.
        ClaimTokenUsed: Already confirmed (also the loser of a race).
        ClaimDeclined / ClaimCancelled: Decided otherwise already.
        ClaimForbidden: Asked for by another customer.
    """
    now = now or utcnow()
    claim = _claim_for_token(session, token, signer or default_signer())
    _for_order(claim, order_id)
    _usable(claim, now)
    if claim.customer_id != customer_id:
        raise ClaimForbidden()
    if not _decide(session, claim.id, "confirmed", now):
        raise ClaimTokenUsed()
    session.exec(
        update(Order).where(Order.id.in_(claim.order_ids), Order.customer_id.is_(None))
        .values(customer_id=customer_id)
    )
    orders = session.exec(
        select(Order).where(Order.id.in_(claim.order_ids), Order.customer_id == customer_id)
        .execution_options(populate_existing=True)
    ).all()
    return with_lines(session=session, orders=orders)


def decline_claim(
    *, session: Session, token: str, order_id: str | None = None, signer: ClaimTokenSigner | None = None,
    now: datetime | None = None,
) -> ClaimRequest:
    """The order email's owner says "this was not me": cancel the request and tell the customer who asked.

    No login is needed: holding the emailed link is the proof. `order_id` is the order Medusa v2's decline
    names in its path; the token must be for it.

    Raises:
        The same errors as preview_claim; ClaimTokenInvalid also for a token of another order.
    """
    now = now or utcnow()
    claim = _claim_for_token(session, token, signer or default_signer())
    _for_order(claim, order_id)
    _usable(claim, now)
    if not _decide(session, claim.id, "declined", now):
        raise ClaimTokenUsed()
    customer = session.get(Customer, claim.customer_id)
    outbox.queue(
        session=session, to=customer.email, template="claim_declined",
        customer_name=customer.first_name, order_email=claim.order_email, order_ids=claim.order_ids,
    )
    session.refresh(claim)
    return claim


def cancel_claim(*, session: Session, customer_id: int, claim_id: str, now: datetime | None = None) -> None:
    """The customer who asked withdraws a pending claim; its link stops working.

    Raises:
        NotFound: No pending claim with this ID belongs to the customer.
    """
    if not _decide(session, claim_id, "cancelled", now or utcnow(), ClaimRequest.customer_id == customer_id):
        raise NotFound("That claim is no longer pending.")


def list_claims(*, session: Session, customer_id: int, now: datetime | None = None) -> list[ClaimRequest]:
    """The customer's claims still waiting for confirmation, newest first."""
    return list(session.exec(
        select(ClaimRequest)
        .where(ClaimRequest.customer_id == customer_id, ClaimRequest.status == "pending",
               ClaimRequest.expires_at >= (now or utcnow()))
        .order_by(ClaimRequest.created_at.desc())
    ).all())
