"""The Starlette app Reflex mounts its own backend under: our routes first, then Reflex's."""

from __future__ import annotations

from starlette.applications import Starlette

from storefront.api import outbox, session, store_auth, store_claims, store_shop
from storefront.api.common import router_refusal


def build_api() -> Starlette:
    """Every HTTP route of the storefront."""
    return Starlette(
        routes=[*session.ROUTES, *outbox.ROUTES, *store_auth.ROUTES, *store_shop.ROUTES, *store_claims.ROUTES],
        exception_handlers={405: router_refusal},
    )
