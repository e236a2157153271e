"""HTTP facts of the running production app: /ping, CORS, icons, cache headers, canonical email links."""

import re
import urllib.error
import urllib.request

import pytest

from storefront import routes


def request(app_server, path: str, method: str = "GET", headers: dict | None = None):
    req = urllib.request.Request(app_server.url(path), method=method, headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_ping_answers(app_server):
    status, _, body = request(app_server, "/ping")
    assert status == 200 and b"pong" in body


def test_cors_allows_the_own_origin_with_credentials_and_nobody_else(app_server):
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    own = app_server.base_url
    _, headers, _ = request(app_server, "/store/auth", "OPTIONS", {"Origin": own, **preflight})
    assert headers.get("access-control-allow-origin") == own
    assert headers.get("access-control-allow-credentials") == "true"
    try:
        _, headers, _ = request(app_server, "/store/auth", "OPTIONS",
                                {"Origin": "https://evil.example.com", **preflight})
    except urllib.error.HTTPError as exc:
        headers = dict(exc.headers)
    assert "access-control-allow-origin" not in {k.lower() for k in headers}
    _, headers, _ = request(app_server, "/store/products", "GET", {"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in {k.lower() for k in headers}


def test_the_favicon_and_the_preview_image_exist_and_are_linked(app_server):
    status, headers, body = request(app_server, "/favicon.ico")
    assert status == 200 and body[:4] == b"\x00\x00\x01\x00"  # an ICO file, not the 404 page
    _, _, page = request(app_server, "/")
    html = page.decode()
    icons = [tag for tag in re.findall(r"<link[^>]*>", html) if 'rel="icon"' in tag]
    assert any('href="/favicon.svg"' in tag and 'type="image/svg+xml"' in tag for tag in icons), icons
    preview = re.search(r'<meta content="([^"]+)" property="og:image"', html).group(1)
    assert preview.startswith(app_server.base_url + "/")  # absolute, as Open Graph asks
    status, headers, body = request(app_server, preview.removeprefix(app_server.base_url))
    assert status == 200 and headers["content-type"] == "image/png" and body.startswith(b"\x89PNG")


def test_hashed_assets_are_immutable_and_nothing_else_is(app_server):
    _, _, page = request(app_server, "/")
    assets = re.findall(r'(?:href|src)="(/assets/[^"]+-[\w-]{8}\.(?:js|css))"', page.decode())
    assert len(assets) > 3
    for asset in assets:
        status, headers, _ = request(app_server, asset)
        assert status == 200 and headers.get("cache-control") == "public, max-age=31536000, immutable", asset
    for path in ("/", "/favicon.svg", "/products/mug.svg", "/storefront.js", "/ping"):
        _, headers, _ = request(app_server, path)
        assert "immutable" not in headers.get("cache-control", ""), path


def conditional(app_server, path: str, headers: dict) -> tuple[int, dict]:
    """(status, headers) of a GET whose answer may be a 304 (urllib raises on one)."""
    try:
        status, answer, _ = request(app_server, path, headers=headers)
    except urllib.error.HTTPError as refused:
        status, answer = refused.code, dict(refused.headers)
    return status, answer


def test_a_page_is_asked_for_each_time_and_even_its_304_gives_a_cookie_less_browser_its_cookie(app_server):
    """A browser that kept the page but lost its session cookies (a restart) still gets its browser cookie."""
    document = {"Accept": "text/html,application/xhtml+xml", "Sec-Fetch-Dest": "document"}
    for path in ("/", "/products/classic-t-shirt/", "/order-confirmed/"):
        status, headers, _ = request(app_server, path, headers=document)
        assert status == 200 and headers.get("cache-control") == "private, no-cache", path
        assert headers.get("set-cookie", "").startswith(routes.BROWSER_COOKIE + "="), path
        status, unchanged = conditional(app_server, path, {**document, "If-None-Match": headers["etag"]})
        assert status == 304 and unchanged.get("set-cookie", "").startswith(routes.BROWSER_COOKIE + "="), path
        status, kept = conditional(app_server, path, {**document, "If-None-Match": headers["etag"],
                                                      "Cookie": headers["set-cookie"].split(";")[0]})
        assert status == 304 and "set-cookie" not in kept, path  # kept, not replaced
        assert kept.get("cache-control") == "no-cache", path
    _, headers, _ = request(app_server, "/favicon.svg")  # a file: neither
    assert "set-cookie" not in headers and "no-cache" not in headers.get("cache-control", "")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_emailed_links_are_the_canonical_urls_the_server_answers_without_a_redirect(new_shopper, app_server):
    from tests.e2e.conftest import email, place_guest_order

    guest_email = email("guest")
    order_id = place_guest_order(app_server.base_url, guest_email)
    shopper = new_shopper()
    shopper.sign_up(email("ada"))
    shopper.claim(order_id)
    [mail] = app_server.wait_for_mail(guest_email, "Confirm your order claim")
    opener = urllib.request.build_opener(NoRedirects)
    for link in mail["links"]:
        with opener.open(link, timeout=10) as answer:
            assert answer.status == 200, link
    with pytest.raises(urllib.error.HTTPError) as not_canonical:  # what the links used to be
        opener.open(mail["links"][0].replace("/verify/?", "/verify?"), timeout=10)
    assert not_canonical.value.code == 307
