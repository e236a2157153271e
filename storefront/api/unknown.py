"""What the API answers where no route of its own takes a request: the documented JSON errors.

Reflex's own app is mounted behind every route (at ""), and it matches any path with any method, so without this a
request no route takes under the API's prefixes reached the page server: a plain-text 405 for a POST, the shop's
HTML for a GET. An API client reads {code, type, message} errors: a 404 for a path no route serves, a 405 (with
Allow) for a method a route does not take.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

from storefront.api.common import error_response

PREFIXES = ("/store", "/auth", "/api")
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
# A CORS preflight (OPTIONS) is left to the CORS middleware of Reflex's app, which answers it for every route.


async def refusal(request: Request) -> Response:
    """The 405 or 404 for a request no route of the API takes (a route of its own, after every other)."""
    allowed = request.scope.get("storefront_allowed")
    if allowed:
        response = error_response("method_not_allowed", "Method Not Allowed")
        response.headers["Allow"] = ", ".join(allowed)
        return response
    return error_response("not_found", "There is no such endpoint.")


class _Fallback(Route):
    """Any path under its prefix: a 405 where one of `known` serves the path with other methods, else a 404."""

    def __init__(self, prefix: str, known: Sequence[Route]) -> None:
        super().__init__(f"{prefix}/{{rest:path}}", refusal, methods=METHODS)
        self._known = known

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.FULL:
            return Match.NONE, {}
        serving = [route for route in self._known if route.matches(scope)[0] is not Match.NONE]
        allowed = sorted({method for route in serving for method in route.methods or ()})
        return Match.FULL, {**child_scope, "storefront_allowed": allowed}


def fallbacks(known: Sequence[BaseRoute]) -> list[Route]:
    """One catch-all per prefix, to put after `known` (Starlette tries routes in order)."""
    routes = [route for route in known if isinstance(route, Route)]
    return [_Fallback(prefix, routes) for prefix in PREFIXES]
