"""Reading the session cookie from a raw Cookie header (the UI's websocket and the REST API share it)."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from storefront import routes


def session_token(cookie_header: str | None) -> str | None:
    """The session token in a Cookie header, or None."""
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except CookieError:  # a malformed header means "not logged in", not an error page
        return None
    morsel = jar.get(routes.SESSION_COOKIE)
    return morsel.value if morsel else None
