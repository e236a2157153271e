"""Bearer tokens for Medusa v2's js-sdk: short-lived JWTs (PyJWT, HS256) that name a server-side login.

A bare JWT cannot be taken back. These carry only the ID of an AuthSession row, which every request checks,
so logging out ends the token at once, and they expire after LIFETIME, so a leaked one is soon worthless.
The login's own secret token is never put in a JWT (a JWT's payload is readable by whoever holds it).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

import jwt
from sqlmodel import Session

from storefront.config import get_settings
from storefront.models import Customer, utcnow
from storefront.services import accounts, logins, sessions
from storefront.services.errors import AuthTokenInvalid

ALGORITHM = "HS256"
LIFETIME = timedelta(hours=1)
# The audience keeps one kind of token from passing for the other: a registration is not a login.
LOGIN_AUDIENCE = "storefront:customer"
REGISTRATION_AUDIENCE = "storefront:registration"
MAX_TOKEN = 2000  # ours are about 250 characters
MAX_ROW_ID = 2**63 - 1  # the largest row ID a database column holds (a signed 64-bit integer)


def _key(secret: str) -> bytes:
    """The JWT key derived from one of STOREFRONT_SECRET_KEYS.

    The same settings sign claim links; deriving a key per use means a signature made for one can never
    be checked as the other's.
    """
    return hmac.new(secret.encode(), b"storefront bearer tokens", hashlib.sha256).digest()


def encode(claims: dict, *, audience: str, lifetime: timedelta = LIFETIME, now: datetime | None = None) -> str:
    """A JWT with `claims`, signed with the first secret key, valid from `now` for `lifetime`."""
    now = now or utcnow()
    payload = {**claims, "aud": audience, "iat": int(now.timestamp()), "exp": int((now + lifetime).timestamp())}
    return jwt.encode(payload, _key(get_settings().secret_keys[0]), algorithm=ALGORITHM)


def decode(token: object, *, audience: str, allow_expired: bool = False) -> dict:
    """The claims of a JWT signed with any of the secret keys (key rotation) for `audience`.

    Raises:
        AuthTokenInvalid: Malformed, tampered with, signed with an unknown key, for another audience, or expired.
    """
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN or not token.isascii():
        raise AuthTokenInvalid()
    options = {"require": ["exp", "iat", "aud"], "verify_exp": not allow_expired}
    for secret in get_settings().secret_keys:
        try:
            return jwt.decode(token, _key(secret), algorithms=[ALGORITHM], audience=audience, options=options)
        except jwt.InvalidSignatureError:
            continue  # perhaps signed with another of the keys
        except jwt.InvalidTokenError as exc:
            raise AuthTokenInvalid() from exc
    raise AuthTokenInvalid()


def _token_for(login_id: int, now: datetime | None = None) -> str:
    return encode({"sid": login_id, "actor_type": "customer"}, audience=LOGIN_AUDIENCE, now=now)


def _login_id(token: object, *, allow_expired: bool = False) -> int:
    login_id = decode(token, audience=LOGIN_AUDIENCE, allow_expired=allow_expired).get("sid")
    # Bounded before any query: a validly signed 2**70 overflows a BIGINT parameter (a 500 on PostgreSQL).
    if isinstance(login_id, bool) or not isinstance(login_id, int) or not 0 < login_id <= MAX_ROW_ID:
        raise AuthTokenInvalid()
    return login_id


def login(
    *, transaction: accounts.Transaction, email: str, password: str, client: str = "",
    device_cookie: str | None = None, now: datetime | None = None,
) -> tuple[Customer, str]:
    """Check an email and password like every other login (same throttling) and return the customer and a
    bearer token.

    Args:
        transaction: Runs one step in a transaction of its own (runner.run_steps passes it).
        email: As typed.
        password: As typed.
        client: The client's address, for the per-client login limits.
        device_cookie: The client's device cookie, if it sent one (services/devices.py).
        now: Clock override (tests).

    Raises:
        InvalidCredentials, TooManyAttempts: As logins.authenticate.
    """
    customer, secret = logins.login(transaction=transaction, email=email, password=password, client=client,
                                      device_cookie=device_cookie)
    return customer, _token_for(transaction(sessions.login_id_for_token, token=secret), now)


def customer_for_token(*, session: Session, token: str, now: datetime | None = None) -> Customer | None:
    """The customer a bearer token speaks for; None when it is bad or expired, or its login has ended."""
    try:
        login_id = _login_id(token)
    except AuthTokenInvalid:
        return None
    return sessions.customer_for_login(session=session, login_id=login_id, now=now)


def refresh(*, session: Session, token: str, now: datetime | None = None) -> str:
    """A new bearer token for the same, still live login (Medusa v2's POST /auth/token/refresh).

    Raises:
        AuthTokenInvalid: The token is bad or expired, or its login has ended.
    """
    login_id = _login_id(token)
    if sessions.customer_for_login(session=session, login_id=login_id, now=now) is None:
        raise AuthTokenInvalid()
    return _token_for(login_id, now)


def trade_for_cookie(*, session: Session, token: str, now: datetime | None = None) -> tuple[Customer, str]:
    """The customer and a cookie token for the login a bearer token names (Medusa v2's POST /auth/session).

    The cookie and the bearer token then open the same login, so one logout ends both.

    Raises:
        AuthTokenInvalid: The token is bad or expired, or its login has ended.
    """
    login_id = _login_id(token)
    customer = sessions.customer_for_login(session=session, login_id=login_id, now=now)
    cookie = sessions.cookie_for_login(session=session, login_id=login_id, now=now) if customer else None
    if cookie is None:
        raise AuthTokenInvalid()
    return customer, cookie


def logout(*, session: Session, token: str, now: datetime | None = None) -> None:
    """End the login a bearer token names. An expired token still ends its login; a bad one is ignored."""
    try:
        login_id = _login_id(token, allow_expired=True)
    except AuthTokenInvalid:
        return
    sessions.revoke_login(session=session, login_id=login_id, now=now)
