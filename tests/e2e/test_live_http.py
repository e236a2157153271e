"""HTTP facts of the running production app: /ping, CORS for the store API."""

import urllib.error
import urllib.request


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
