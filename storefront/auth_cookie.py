"""Reading the shop's cookies from a raw Cookie header: the UI's websocket and the REST API parse it one way.

Starlette's `cookie_parser` reads a header as browsers write it: an earlier cookie holding JSON, a space or a
quote does not hide the ones after it (`http.cookies.SimpleCookie` gives up on the whole header there, so the
UI thought a customer logged out whom the REST API still served).
"""

from __future__ import annotations

from starlette.requests import cookie_parser

from storefront import routes


def read_cookie(cookie_header: str | None, name: str) -> str | None:
    """The value of cookie `name` in a Cookie header, or None when it is missing or empty."""
    if not cookie_header:
        return None
    return cookie_parser(cookie_header).get(name) or None


def session_token(cookie_header: str | None) -> str | None:
    """The session token in a Cookie header, or None."""
    return read_cookie(cookie_header, routes.SESSION_COOKIE)


def device_cookie(cookie_header: str | None) -> str | None:
    """The device cookie in a Cookie header (services/devices.py), or None."""
    return read_cookie(cookie_header, routes.DEVICE_COOKIE)
