"""Signed link tokens (itsdangerous), one kind for every emailed link: claim links and password resets.

A token carries no data: it is a random secret and its signature. Its row (a claim, a password reset) is found
by the secret's hash in that kind's own table, so a claim token finds no reset and the other way round, and the
row holds everything else: whose it is, its state (which makes it single-use and revocable) and when it expires.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from itsdangerous import BadSignature, Signer

from storefront.config import get_settings
from storefront.services.errors import ClaimTokenInvalid
from storefront.services.sessions import hash_token

LINK_SALT = "storefront-link"


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
