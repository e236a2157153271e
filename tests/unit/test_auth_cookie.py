"""The session cookie, read from a raw Cookie header the way the UI's websocket and the REST API both read it."""

from __future__ import annotations

import pytest

from storefront.auth_cookie import read_cookie, session_token


@pytest.mark.parametrize("header", [
    'x={"a":1}; sf_session=tok',  # JSON in an earlier cookie (SimpleCookie gave up on the whole header)
    "theme=dark mode; sf_session=tok",  # a space in an earlier cookie
    'a="unterminated; sf_session=tok',
    "sf_session=tok",
    " sf_session = tok ;other=1",
    'sf_session="tok"',  # a quoted value is unquoted, as browsers and Starlette do
])
def test_the_session_survives_odd_neighbours(header):
    assert session_token(header) == "tok"


@pytest.mark.parametrize("header", [None, "", "other=1", "sf_session=", "sf_session", ";;;", "xsf_session=tok"])
def test_no_session_cookie_means_no_session(header):
    assert session_token(header) is None


def test_the_ui_and_the_api_read_a_header_alike():
    from starlette.requests import Request

    header = 'x={"a":1}; sf_session=tok; sf_device=dev'
    request = Request({"type": "http", "headers": [(b"cookie", header.encode())]})
    assert request.cookies.get("sf_session") == session_token(header)
    assert read_cookie(header, "sf_device") == "dev"


def test_a_page_without_a_browser_cookie_gets_one_and_api_answers_never_do():
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from storefront.api.edge import guard
    from storefront.state.session_binding import session_fingerprint

    async def page(_request):
        return HTMLResponse("<!doctype html><title>Shop</title>")

    async def api(_request):
        return JSONResponse({})

    pages = Starlette(routes=[Route("/", page), Route("/store/products", api)])
    with TestClient(guard(pages), base_url="http://shop.test") as browser:
        first = browser.get("/")
        cookie = first.headers["set-cookie"]
        assert cookie.startswith("sf_browser=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "set-cookie" not in browser.get("/").headers  # sent back: kept, not replaced
        assert "set-cookie" not in browser.get("/store/products").headers
        value = browser.cookies["sf_browser"]
    # Page state is bound to it beside the session: a socket without it does not match a guest's tab.
    assert session_fingerprint(f"sf_browser={value}") not in ("", session_fingerprint(None))
    assert session_fingerprint(f"sf_browser={value}; sf_session=tok") != session_fingerprint("sf_session=tok")


def test_a_page_is_revalidated_and_its_304_gives_a_browser_without_the_cookie_one():
    """After a restart a browser has its cached pages and no session cookies: the 304 must set the cookie."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from storefront.api.edge import guard

    def unchanged_or(response, request, etag):
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"etag": etag})
        return response

    async def page(request):  # a product handle may hold a dot: the address does not tell a page
        return unchanged_or(HTMLResponse("<!doctype html><title>Mug</title>", headers={"etag": '"v1"'}), request,
                            '"v1"')

    async def picture(request):
        return unchanged_or(Response(b"<svg/>", media_type="image/svg+xml", headers={"etag": '"p1"'}), request,
                            '"p1"')

    document = {"Accept": "text/html,application/xhtml+xml", "Sec-Fetch-Dest": "document"}
    app = guard(Starlette(routes=[Route("/products/v1.5-mug/", page), Route("/products/mug.svg", picture)]))
    with TestClient(app, base_url="http://shop.test") as browser:
        fresh = browser.get("/products/v1.5-mug/", headers=document)
        assert fresh.headers["cache-control"] == "private, no-cache"  # asked each time; its cookie is this browser's
        browser.cookies.clear()
        unchanged = browser.get("/products/v1.5-mug/", headers={**document, "If-None-Match": '"v1"'})
        assert unchanged.status_code == 304 and unchanged.headers["set-cookie"].startswith("sf_browser=")
        assert unchanged.headers["cache-control"] == "private, no-cache"
        again = browser.get("/products/v1.5-mug/", headers={**document, "If-None-Match": '"v1"'})
        assert again.status_code == 304 and "set-cookie" not in again.headers  # kept, not replaced
        assert browser.get("/products/v1.5-mug/", headers=document).headers["cache-control"] == "no-cache"
        browser.cookies.clear()
        for asked in ({"Accept": "image/avif,image/webp,*/*", "Sec-Fetch-Dest": "image"}, {"Accept": "*/*"}):
            kept = browser.get("/products/mug.svg", headers={**asked, "If-None-Match": '"p1"'})
            assert kept.status_code == 304 and "set-cookie" not in kept.headers
            assert "cache-control" not in kept.headers
