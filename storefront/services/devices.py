"""Device cookies (OWASP's "Blocking Brute Force Attacks"): a browser or client that has logged in to an account
before shows a signed cookie, and its login attempts are not counted with strangers'.

Without them, ten wrong passwords for a victim's email from anywhere locked the owner out, and two requests a
minute kept them out for good. Strangers are still limited per account and per address; a known device has a
lockout of its own, so whoever holds one device cookie cannot lock out the owner's other devices either.

The cookie is signed with the app's secret keys (itsdangerous: the first key of STOREFRONT_SECRET_KEYS signs,
all of them verify, so rotating keys keeps known devices known). It names the account by a digest, never the
email, and carries a random nonce that its own lockout counts against.
"""

from __future__ import annotations

import hashlib
import secrets

from itsdangerous import BadData, URLSafeTimedSerializer

from storefront.config import get_settings

MAX_AGE = 365 * 24 * 3600  # seconds a device stays known after its last successful login
MAX_COOKIE = 300  # ours are about 120 characters; anything longer is refused unread
_SALT = "storefront.device-cookie"


def _serializer() -> URLSafeTimedSerializer:
    # itsdangerous signs with the last key of its list and verifies with all: the settings' first key signs.
    return URLSafeTimedSerializer(list(reversed(get_settings().secret_keys)), salt=_SALT)


def _account_digest(account: str) -> str:
    return hashlib.sha256(account.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def issue(account: str) -> str:
    """A new device cookie for `account` (the customer's email), to set after a successful login."""
    return _serializer().dumps({"a": _account_digest(account), "n": secrets.token_urlsafe(16)})


def known_device(cookie: object, account: str) -> str | None:
    """The nonce of a device cookie this app signed for `account` within MAX_AGE, or None for a stranger."""
    if not isinstance(cookie, str) or not cookie or len(cookie) > MAX_COOKIE or not cookie.isascii():
        return None
    try:
        data = _serializer().loads(cookie, max_age=MAX_AGE)
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("a") != _account_digest(account):
        return None
    nonce = data.get("n")
    return nonce if isinstance(nonce, str) and nonce else None
