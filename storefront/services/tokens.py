"""Signed link tokens (itsdangerous): claim links (LinkSigner) and password resets (ClaimTokenSigner).

The payload is a database row's ID only; everything else lives in the database, which also makes each
token single-use (the row's status) and revocable. Each kind of link signs with its own salt, so a claim
token can never be replayed as a reset token or the other way round.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence

from itsdangerous import BadSignature, SignatureExpired, Signer, TimestampSigner, URLSafeTimedSerializer

from storefront.config import get_settings
from storefront.services.errors import ClaimTokenExpired, ClaimTokenInvalid
from storefront.services.sessions import hash_token

LINK_SALT = "storefront-link"
SALT = "order-claim"
RESET_SALT = "password-reset"


class LinkSigner:
    """Makes and reads link tokens: a random secret with an HMAC signature, `<secret>.<signature>`.

    The secret is random, so a row finds its link by the secret's SHA-256 alone (stored UNIQUE) and the row's
    `expires_at` is the one clock. The signature is checked first, so a tampered or made-up token is refused
    before any database lookup; and retiring a key from STOREFRONT_SECRET_KEYS retires every link it signed.

    Args:
        keys: Secret keys; the first signs, all verify (so a key can be rotated out gradually).
    """

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one secret key is needed")
        # itsdangerous signs with the *last* key of its list; our setting puts the signing key first.
        self._signer = Signer(list(reversed(keys)), salt=LINK_SALT)

    def new(self) -> tuple[str, str]:
        """A fresh (token for the link, hash to store)."""
        secret = secrets.token_urlsafe(32)
        return self._signer.sign(secret).decode(), hash_token(secret)

    def hash_of(self, token: object) -> str:
        """The stored hash a token's row has.

        Raises:
            ClaimTokenInvalid: Not a token, tampered with, or signed with a key no longer configured.
        """
        # Our tokens are short URL-safe ASCII; anything else is refused before itsdangerous encodes it.
        if not isinstance(token, str) or not token or len(token) > 200 or not token.isascii():
            raise ClaimTokenInvalid()
        try:
            return hash_token(self._signer.unsign(token).decode())
        except BadSignature as exc:
            raise ClaimTokenInvalid() from exc


def link_signer() -> LinkSigner:
    """The link signer configured from settings."""
    return LinkSigner(get_settings().secret_keys)


class ClaimTokenSigner:
    """Makes and reads claim tokens.

    Args:
        keys: Secret keys; the first signs, all verify (so a key can be rotated out gradually).
        max_age: Seconds a token stays valid; a token exactly max_age old is still accepted.
        clock: Returns the current Unix time; tests inject their own.
        salt: Which kind of link (SALT for claims, RESET_SALT for password resets).
    """

    def __init__(
        self, keys: Sequence[str], max_age: int, clock: Callable[[], float] = time.time, salt: str = SALT
    ) -> None:
        if not keys:
            raise ValueError("at least one secret key is needed")

        class _Signer(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock())

        # itsdangerous signs with the *last* key of its list; our setting puts the signing key first.
        self._serializer = URLSafeTimedSerializer(list(reversed(keys)), salt=salt, signer=_Signer)
        self.max_age = max_age

    def make(self, claim_id: str) -> str:
        """A new token for this row; never the same twice, even within one second (itsdangerous stamps seconds).

        The nonce matters when a link is sent again: the new token's hash replaces the old one's, and an
        identical token would leave the "old" link working.
        """
        return self._serializer.dumps({"id": claim_id, "nonce": secrets.token_urlsafe(8)})

    def read(self, token: str) -> str:
        """The claim request ID inside a token.

        Raises:
            ClaimTokenExpired: Signed by us but older than max_age.
            ClaimTokenInvalid: Malformed, tampered with, or signed with an unknown key.
        """
        # Our tokens are short URL-safe ASCII; anything else is refused before itsdangerous encodes it.
        if not isinstance(token, str) or not token or len(token) > 500 or not token.isascii():
            raise ClaimTokenInvalid()
        try:
            payload = self._serializer.loads(token, max_age=self.max_age)
        except SignatureExpired as exc:
            raise ClaimTokenExpired() from exc
        except BadSignature as exc:
            raise ClaimTokenInvalid() from exc
        row_id = payload.get("id") if isinstance(payload, dict) else payload  # a bare ID: links mailed before nonces
        if not isinstance(row_id, str):
            raise ClaimTokenInvalid()
        return row_id


def default_signer() -> ClaimTokenSigner:
    """The claim-link signer configured from settings."""
    settings = get_settings()
    return ClaimTokenSigner(settings.secret_keys, settings.claim_token_max_age)


def reset_signer() -> ClaimTokenSigner:
    """The password-reset-link signer configured from settings."""
    settings = get_settings()
    return ClaimTokenSigner(settings.secret_keys, settings.password_reset_max_age, salt=RESET_SALT)
