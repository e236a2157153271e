"""The Starlette app Reflex mounts its own backend under: our routes first, then Reflex's."""

from __future__ import annotations

from starlette.applications import Starlette

from storefront.api import (
    customer_auth,
    outbox,
    session,
    store_auth,
    store_claims,
    store_history,
    store_shop,
    store_transfers,
    unknown,
)
from storefront.api.common import router_refusal
from storefront.api.publishable_key import require_key


def build_api() -> Starlette:
    """Every HTTP route of the storefront, /store/* behind the publishable key when one is configured."""
    known = [*session.ROUTES, *outbox.ROUTES, *store_auth.ROUTES, *store_shop.ROUTES, *store_claims.ROUTES,
             *store_transfers.ROUTES, *store_history.ROUTES, *customer_auth.ROUTES]
    api = Starlette(routes=[*known, *unknown.fallbacks(known)], exception_handlers={405: router_refusal})
    api.add_middleware(require_key)
    return api
