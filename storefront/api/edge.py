"""The edge every HTTP request passes, pages and API alike: size cap, cross-site guard, security and cache headers.

One middleware, so the rules hold for every route the app will ever have, not just the ones that remember.
"""

from __future__ import annotations

import json
import re
import secrets
from urllib.parse import urlsplit

from secure import ContentSecurityPolicy, ReferrerPolicy, Secure, XContentTypeOptions, XFrameOptions
from secure.middleware import SecureASGIMiddleware
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storefront import routes
from storefront.api.errors import SAFE_METHODS, error_body
from storefront.auth_cookie import read_cookie
from storefront.config import get_settings

MAX_BODY = 64 * 1024  # every body this app reads is a small form or JSON object
# Reflex's own socket endpoint checks origins itself and may carry larger event payloads.
_REFLEX_PREFIX = "/_"
_CROSS_SITE = "Requests from other sites are not accepted here."
# The production build's scripts and styles carry a hash of their content in their names
# (/assets/root-wjpc8YDQ.js): a changed file gets a new name, so browsers may keep these for a year without
# asking again. Nothing else is immutable: pages, /favicon.svg and the product pictures keep their names.
HASHED_ASSET = re.compile(r"^/assets/[\w.-]+-[\w-]{8}\.(?:js|css|woff2?)$")
IMMUTABLE = b"public, max-age=31536000, immutable"

# The `secure` library writes the headers: no page may be framed (clickjacking a Confirm button), no
# answer may be sniffed into another content type, and no URL (claim links carry tokens) leaks to another
# site via Referer. "same-origin" rather than "no-referrer": under no-referrer browsers send `Origin: null`
# even on the shop's own form posts, which the cross-site check below could then only judge by Sec-Fetch-Site.
SECURITY_HEADERS = Secure(
    xfo=XFrameOptions().deny(),
    csp=ContentSecurityPolicy().frame_ancestors("'none'"),
    xcto=XContentTypeOptions(),
    referrer=ReferrerPolicy().same_origin(),
)


def _error(type_: str, message: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    status, fields = error_body(type_, message)
    body = json.dumps(fields).encode()
    return status, [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())], body


def allowed_origin(origin: str, host: str) -> bool:
    """True for the app's own origin, an origin in STORE_CORS, or the host the request was sent to.

    The last one keeps a shop reached by another name (a LAN address, say) working: a browser always
    sends the real target as Host, so an attacker's page cannot make the two match.
    """
    if origin in get_settings().cors_origins:
        return True
    return bool(host) and urlsplit(origin).netloc.lower() == host.lower()


def cross_site_refusal(scope: Scope) -> str | None:
    """Why a state-changing request must be refused as cross-site, or None.

    Browsers send `Origin` on every POST, PUT, PATCH and DELETE. Where it is missing or "null" (a page
    under a no-referrer policy, a sandboxed frame), `Sec-Fetch-Site`, which no page script can set, says
    where the request came from. A request with neither is not from a browser (curl, a server-side
    client), so it carries no victim's cookies for anyone to abuse.
    """
    if scope.get("method") in SAFE_METHODS:
        return None
    headers = Headers(scope=scope)
    origin, fetch_site = headers.get("origin"), headers.get("sec-fetch-site")
    if origin not in (None, "null"):
        return None if allowed_origin(origin, headers.get("host", "")) else _CROSS_SITE
    if fetch_site is None:
        return _CROSS_SITE if origin == "null" else None
    return None if fetch_site in {"same-origin", "none"} else _CROSS_SITE


async def _read_capped(receive: Receive) -> tuple[bytes, bool]:
    """The whole body, or (partial, False) as soon as it grows past MAX_BODY."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return b"", False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True


def guard(app: ASGIApp) -> ASGIApp:
    """Wrap the whole app: 413 past MAX_BODY, 403 for cross-site writes, security headers on every answer."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(_REFLEX_PREFIX):
            await app(scope, receive, send)
            return
        refusal = cross_site_refusal(scope)
        if refusal:
            await _answer(send, *_error("not_allowed", refusal))
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            await _answer(send, *_too_large())
            return
        body, within = await _read_capped(receive)
        if not within:
            await _answer(send, *_too_large())
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: only a disconnect can come
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await app(scope, replay, cache_headers(scope, browser_cookie(scope, send)))

    return SecureASGIMiddleware(middleware, secure=SECURITY_HEADERS)


def cache_headers(scope: Scope, send: Send) -> Send:
    """`send`, adding Cache-Control: immutable to successful answers for hashed build assets, and no-cache to
    pages.

    A page is the same HTML for everyone, but it carries the browser cookie (`browser_cookie`) to a browser that
    has none. Kept without asking (browsers may, going by Last-Modified), it would not: after a browser restart
    drops its session cookies, its cached pages would load with no cookie at all, and a guest's tab state would
    be bound to no cookie, which any socket matches. With no-cache the browser asks each time, and the answer,
    a 304 when the page is unchanged, sets the cookie.
    """
    if scope.get("method") not in {"GET", "HEAD"}:
        return send
    immutable = bool(HASHED_ASSET.match(scope.get("path", "")))

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = message.get("headers", [])
            if immutable and message["status"] in {200, 304}:
                headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", IMMUTABLE)]}
            elif _is_page(scope, message) and not Headers(raw=headers).get("cache-control"):
                message = {**message, "headers": [*headers, (b"cache-control", b"no-cache")]}
        await send(message)

    return sending


def _is_page(scope: Scope, start: Message) -> bool:
    """An answer that is a page: HTML, or a 304 to a browser that asked for a document (a 304 says no type)."""
    if start["status"] == 304:
        asked = Headers(scope=scope)
        return asked.get("sec-fetch-dest") == "document" or "text/html" in asked.get("accept", "")
    return Headers(raw=start.get("headers", [])).get("content-type", "").startswith("text/html")


def browser_cookie(scope: Scope, send: Send) -> Send:
    """`send`, adding a random `sf_browser` cookie to a page (or its 304) when the request carried none.

    Page state bound to a session (state/session_binding.py) is also bound to this cookie, so data a page
    loaded for a visitor without a session (a guest's order confirmation, a claim link opened logged out) is
    not handed to a socket that holds only that tab's client token. A browser-session cookie: it needs to
    outlive no tab.
    """
    if scope.get("method") != "GET" or read_cookie(Headers(scope=scope).get("cookie"), routes.BROWSER_COOKIE):
        return send
    secure = "; Secure" if get_settings().base_url.startswith("https://") else ""
    cookie = f"{routes.BROWSER_COOKIE}={secrets.token_urlsafe(24)}; Path=/; HttpOnly; SameSite=Lax{secure}".encode()

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start" and _is_page(scope, message):
            # An answer that sets one browser's cookie is that browser's alone: no shared cache may keep it.
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
            message = {**message, "headers": [*headers, (b"cache-control", b"private, no-cache"),
                                              (b"set-cookie", cookie)]}
        await send(message)

    return sending


def _too_large() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    return _error("payload_too_large", f"The request body is larger than {MAX_BODY // 1024} KiB.")


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
