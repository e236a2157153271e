"""Password reset: an emailed, signed, expiring, single-use link, on the claim links' token and outbox machinery.

Asking answers the same whether or not the email has an account. Opening the link changes nothing; setting
a new password ends every session of the customer and clears their login throttling.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from storefront import routes
from storefront.config import get_settings
from storefront.mail.render import duration
from storefront.models import Customer, PasswordReset, utcnow
from storefront.services import accounts, inputs, logins, outbox, passwords, ratelimit, sessions
from storefront.services.errors import (
    ClaimTokenInvalid,
    ResetLinkExpired,
    ResetLinkInvalid,
    ResetLinkReplaced,
    ResetLinkUsed,
)
from storefront.services.ids import new_id
from storefront.services.tokens import link_signer

logger = logging.getLogger(__name__)
# Silent, so nobody learns whether an email has an account; the outbox's per-recipient cap also applies.
REQUEST_RULE = ratelimit.Rule("reset-request", "5/hour")


def reset_request_email(email: object) -> str:
    """The address a reset link is asked for, checked without the database, so the request path takes the
    same time whether or not it has an account; the faces then queue `request_reset` in the background
    (runner.later) either way.

    Raises:
        InvalidInput: `email` is not an email address (which says nothing about accounts).
    """
    return inputs.email_address(email)


def request_reset(
    *,
    session: Session,
    email: str,
    base_url: str | None = None,
    now: datetime | None = None,
) -> None:
    """Mail a reset link when `email` has an account; nothing happens otherwise, and the caller cannot tell.

    Args:
        session: Database session.
        email: As typed.
        base_url: Link base override (tests).
        now: Clock override (tests).

    Raises:
        InvalidInput: `email` is not an email address (which says nothing about accounts).
    """
    clean = inputs.email_address(email)
    customer = accounts.get_by_email(session=session, email=clean)
    if customer is None or not ratelimit.allow(REQUEST_RULE, clean):
        return
    now, lifetime = now or utcnow(), get_settings().password_reset_max_age
    token, token_hash = link_signer().new()
    session.add(PasswordReset(id=new_id("pwreset"), customer_id=customer.id, token_hash=token_hash, created_at=now,
                              expires_at=now + timedelta(seconds=lifetime)))
    outbox.queue(session=session, to=customer.email, template="password_reset", first_name=customer.first_name,
                 email=customer.email, lifetime=duration(lifetime),
                 reset_url=routes.reset_url(base_url or get_settings().base_url, token))


def _usable_reset(session: Session, token: str, now: datetime) -> PasswordReset:
    """The reset a link's token belongs to, if it can still be used: the row's `expires_at` is the one clock.

    Raises:
        ResetLinkInvalid, ResetLinkUsed, ResetLinkReplaced, ResetLinkExpired.
    """
    try:
        token_hash = link_signer().hash_of(token)  # the signature first: a made-up token costs no query
    except ClaimTokenInvalid as exc:
        raise ResetLinkInvalid() from exc
    reset = session.exec(select(PasswordReset).where(PasswordReset.token_hash == token_hash)).first()
    if reset is None:
        raise ResetLinkInvalid()
    if reset.used_at is not None:
        raise ResetLinkUsed()
    # Only the newest link of a customer works: asking again ends the earlier ones (a link mailed to an old
    # address, or read by someone else, dies the moment the owner asks for a fresh one).
    newer = session.exec(select(PasswordReset.id).where(PasswordReset.customer_id == reset.customer_id,
                                                        PasswordReset.created_at > reset.created_at)).first()
    if newer is not None:
        raise ResetLinkReplaced()
    if reset.expires_at < now:
        raise ResetLinkExpired()
    return reset


def check_reset(*, session: Session, token: str, now: datetime | None = None) -> Customer:
    """Whose password a link would reset, changing nothing (the page shows it before the button is pressed).

    Raises:
        ResetLinkInvalid, ResetLinkExpired, ResetLinkUsed, ResetLinkReplaced.
    """
    reset = _usable_reset(session, token, now or utcnow())
    return session.get(Customer, reset.customer_id)


def reset_password(
    *,
    transaction: accounts.Transaction,
    token: str,
    password: str,
    email: str | None = None,
    client: str = "",
    now: datetime | None = None,
) -> Customer:
    """Set a new password through a reset link; every session of the customer ends and their throttling clears.

    Three steps: the link is checked in one transaction, the new password hashed outside any, and the link
    marked used and the password set in another. The mark is a conditional update, so of two presses racing
    exactly one wins; every other unused link of the same customer stops working too.

    Args:
        transaction: Runs one step in a transaction of its own (runner.run_steps passes it).
        token: From the emailed link.
        password: The new password (the registration rules apply).
        email: When given (Medusa's API sends it), it must be the account's email.
        client: The client's address, whose login throttling for this account clears.
        now: Clock override (tests).

    Returns:
        The customer, for the caller to log in.

    Raises:
        ResetLinkInvalid, ResetLinkExpired, ResetLinkUsed, ResetLinkReplaced: The link cannot be used (or the
            email does not match).
        InvalidInput: The new password breaks the rules.
    """
    customer, _ = _reset(transaction=transaction, token=token, password=password, email=email, client=client,
                         now=now, ticket=None)
    return customer


def _reset(*, transaction: accounts.Transaction, token: str, password: str, email: str | None, client: str,
           now: datetime | None, ticket: bool | None) -> tuple[Customer, str | None]:
    now = now or utcnow()
    reset_id, customer_id = transaction(_check_link, token=token, email=email, now=now)
    passwords.check_password_rules(password)
    password_hash = passwords.hash_password(password)
    return transaction(_set_password, reset_id=reset_id, customer_id=customer_id, password_hash=password_hash,
                       client=client, now=now, ticket=ticket)


def _check_link(*, session: Session, token: str, email: str | None, now: datetime) -> tuple[str, int]:
    reset = _usable_reset(session, token, now)
    customer = session.get(Customer, reset.customer_id)
    if email is not None and inputs.lookup_email(email) != customer.email:
        raise ResetLinkInvalid()
    return reset.id, customer.id


def _set_password(*, session: Session, reset_id: str, customer_id: int, password_hash: str, client: str,
                  now: datetime, ticket: bool | None) -> tuple[Customer, str | None]:
    taken = session.exec(
        update(PasswordReset).where(PasswordReset.id == reset_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if taken != 1:
        raise ResetLinkUsed()
    session.exec(update(PasswordReset).where(PasswordReset.customer_id == customer_id,
                                             PasswordReset.used_at.is_(None)).values(used_at=now))
    customer = session.get(Customer, customer_id)
    customer.password_hash = password_hash
    session.add(customer)
    ended = sessions.revoke_all(session=session, customer_id=customer.id, now=now)
    logins.clear_throttling(email=customer.email, client=client)
    logger.info("password reset; %d session(s) ended", ended)
    started = None if ticket is None else sessions.create_session(session=session, customer_id=customer.id,
                                                                  ticket=ticket)
    return customer, started


def reset_password_and_login(*, transaction: accounts.Transaction, token: str, password: str, client: str = "",
                             ticket: bool = False) -> tuple[Customer, str]:
    """Reset, then start one new session (or a login ticket for the UI) in the same last transaction.

    Raises:
        The errors of reset_password.
    """
    customer, started = _reset(transaction=transaction, token=token, password=password, email=None, client=client,
                               now=None, ticket=ticket)
    return customer, started
