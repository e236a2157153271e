"""Medusa v2's publishable API key: with STORE_PUBLISHABLE_KEY set, every /store/* request must carry it.

A publishable key is not a secret (it ships in the storefront's JavaScript); it tells which storefront is
calling. Medusa answers 400 when it is missing or wrong, and so does this, in the store API's error shape.
"""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from storefront.api.common import error_response
from storefront.config import get_settings

HEADER = "x-publishable-api-key"
STORE_PREFIX = "/store/"
MISSING = f"Publishable API key required in the request header: {HEADER}."
WRONG = "A valid publishable key is required to proceed with the request."


def refusal(scope: Scope) -> str | None:
    """Why a request must be refused for its publishable key, or None."""
    expected = get_settings().store_publishable_key
    # A CORS preflight (OPTIONS) never carries custom headers: the browser asks before it sends them.
    if not expected or scope.get("method") == "OPTIONS" or not scope.get("path", "").startswith(STORE_PREFIX):
        return None
    sent = Headers(scope=scope).get(HEADER)
    if not sent:
        return MISSING
    return None if hmac.compare_digest(sent.encode(), expected.encode()) else WRONG


def require_key(app: ASGIApp) -> ASGIApp:
    """Wrap the API routes: /store/* answers 400 without the configured publishable key."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        reason = refusal(scope) if scope["type"] == "http" else None
        if reason:
            await error_response("invalid_data", reason)(scope, receive, send)
            return
        await app(scope, receive, send)

    return middleware
