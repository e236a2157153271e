"""The Starlette app Reflex mounts its own backend under: our routes first, then Reflex's."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storefront import routes
from storefront.api import outbox, session, store_auth, store_claims, store_shop

# Pages that carry a claim token in their URL: the token must not leak to other sites via Referer.
_NO_REFERRER_PATHS = (routes.VERIFY, routes.DECLINE)


def build_api() -> Starlette:
    """Every HTTP route of the storefront."""
    return Starlette(
        routes=[*session.ROUTES, *outbox.ROUTES, *store_auth.ROUTES, *store_shop.ROUTES, *store_claims.ROUTES]
    )


def no_referrer(app: ASGIApp) -> ASGIApp:
    """Add `Referrer-Policy: no-referrer` to the pages that carry claim tokens."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "").rstrip("/") if scope["type"] == "http" else ""
        if not any(path == p or path.startswith(p + "/") for p in _NO_REFERRER_PATHS):
            await app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"referrer-policy", b"no-referrer")]
            await send(message)

        await app(scope, receive, send_with_policy)

    return middleware
