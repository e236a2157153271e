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
