"""Server-side login sessions. The browser holds a random 256-bit token; only its hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlmodel import Session, select

from storefront.config import get_settings
from storefront.models import AuthSession, Customer, utcnow

TICKET_LIFETIME = timedelta(seconds=60)
# last_seen_at is bookkeeping; writing it on every request would make every page view a write.
_TOUCH_EVERY = timedelta(minutes=5)


def hash_token(token: str) -> str:
    """SHA-256 of a token: enough for random 256-bit secrets (no need for a slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def create_session(
    *, session: Session, customer_id: int, ticket: bool = False, now: datetime | None = None
) -> str:
    """Start a login and return its raw token (shown once, never stored).

    Args:
        session: Database session.
        customer_id: Who logged in.
        ticket: True for a one-minute handoff ticket that must be redeemed (see redeem_ticket).
        now: Clock override for tests.

    Returns:
        The token to hand to the browser.
    """
    now = now or utcnow()
    token = _new_token()
    lifetime = TICKET_LIFETIME if ticket else timedelta(seconds=get_settings().session_max_age)
    session.add(
        AuthSession(
            token_hash=hash_token(token), customer_id=customer_id, is_ticket=ticket,
            created_at=now, last_seen_at=now, expires_at=now + lifetime,
        )
    )
    session.flush()
    return token


def _alive(row: AuthSession | None, now: datetime) -> AuthSession | None:
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row


# Every page load and claim reads the session: built once (building it showed in docs/performance.md's profiles).
_BY_TOKEN_HASH = select(AuthSession).where(AuthSession.token_hash == bindparam("token_hash"))


def _live(session: Session, token: str, now: datetime) -> AuthSession | None:
    if not token or len(token) > 200:
        return None
    return _alive(session.exec(_BY_TOKEN_HASH, params={"token_hash": hash_token(token)}).first(), now)


def _live_login(session: Session, session_id: int, now: datetime) -> AuthSession | None:
    row = _alive(session.get(AuthSession, session_id), now)
    return row if row is not None and not row.is_ticket else None


def redeem_ticket(*, session: Session, ticket: str, now: datetime | None = None) -> str | None:
    """Turn a login ticket into a full session, rotating the token; None if unusable.

    The UI logs in over its websocket, which cannot set an HttpOnly cookie; it hands a ticket to an
    HTTP endpoint that redeems it and sets the cookie. A ticket works once.
    """
    now = now or utcnow()
    row = _live(session, ticket, now)
    if row is None or not row.is_ticket:
        return None
    token = _new_token()
    row.token_hash = hash_token(token)
    row.is_ticket = False
    row.expires_at = now + timedelta(seconds=get_settings().session_max_age)
    row.last_seen_at = now
    session.add(row)
    return token


def customer_for_token(*, session: Session, token: str | None, now: datetime | None = None) -> Customer | None:
    """The customer a session token belongs to, or None when missing, expired or revoked."""
    now = now or utcnow()
    row = _live(session, token or "", now)
    return _seen(session, row, now) if row is not None and not row.is_ticket else None


def _seen(session: Session, row: AuthSession, now: datetime) -> Customer | None:
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
    return session.get(Customer, row.customer_id)


def revoke(*, session: Session, token: str | None, now: datetime | None = None) -> None:
    """End a session (logout). Unknown tokens are ignored."""
    row = _live(session, token or "", now or utcnow())
    if row is not None:
        row.revoked_at = now or utcnow()
        session.add(row)


def revoke_all(*, session: Session, customer_id: int, now: datetime | None = None) -> int:
    """End every session and ticket of a customer (a new password logs out every device); returns how many."""
    now = now or utcnow()
    rows = session.exec(select(AuthSession).where(AuthSession.customer_id == customer_id,
                                                  AuthSession.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = now
        session.add(row)
    return len(rows)


# A bearer token (services/bearer.py) names a login by its row ID instead of carrying the secret token, so
# a leaked JWT is worth nothing once it expires or its login ends.


def login_id_for_token(*, session: Session, token: str, now: datetime | None = None) -> int | None:
    """The row ID of the live login a session token opens, or None."""
    row = _live(session, token, now or utcnow())
    return row.id if row is not None and not row.is_ticket else None


def customer_for_login(*, session: Session, login_id: int, now: datetime | None = None) -> Customer | None:
    """The customer of a live login named by its row ID, or None when it expired or was revoked."""
    now = now or utcnow()
    row = _live_login(session, login_id, now)
    return _seen(session, row, now) if row is not None else None


def cookie_for_login(*, session: Session, login_id: int, now: datetime | None = None) -> str | None:
    """A new cookie token for a live login, replacing its previous token; None when the login is over.

    The bearer token that names the login keeps working, and one logout ends both.
    """
    now = now or utcnow()
    row = _live_login(session, login_id, now)
    if row is None:
        return None
    token = _new_token()
    row.token_hash = hash_token(token)
    session.add(row)
    return token


def revoke_login(*, session: Session, login_id: int, now: datetime | None = None) -> None:
    """End a login named by its row ID (logout with a bearer token). Unknown or ended logins are ignored."""
    row = _live_login(session, login_id, now or utcnow())
    if row is not None:
        row.revoked_at = now or utcnow()
        session.add(row)
