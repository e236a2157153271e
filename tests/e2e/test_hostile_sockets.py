"""A hand-written websocket client against the production build: hostile frames, and a closed tab's client token.

Reflex's socket is socket.io on `/_event`; the tab's client token goes in its URL (`?token=`), which is how it
ends up in proxy logs. These tests speak it with python-socketio, as bench/browser.py does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import socketio
from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import email

NAMESPACE = "/_event"
ROOT = "reflex___state____state"


def hostile_socket(base_url: str, token: str, frames: list, cookie: str | None = None,
                   linger: float = 3.0) -> tuple[list[dict], bool]:
    """Connect as a hand-written client with client token `token`, send `frames`; returns the updates received
    and whether the server cut the socket."""

    async def talk() -> tuple[list[dict], bool]:
        client = socketio.AsyncClient(reconnection=False)
        received, cut = [], asyncio.Event()
        client.on("event", received.append, namespace=NAMESPACE)
        client.on("new_token", lambda new: received.append({"new_token": new}), namespace=NAMESPACE)
        client.on("disconnect", lambda *_: cut.set(), namespace=NAMESPACE)
        headers = {"Origin": base_url, **({"Cookie": cookie} if cookie else {})}
        await client.connect(f"{base_url}?token={token}", headers=headers, transports=["websocket"],
                             namespaces=[NAMESPACE], socketio_path="_event", wait_timeout=10)
        for frame in frames:
            if cut.is_set():
                break
            await client.emit("event", frame, namespace=NAMESPACE)
            await asyncio.sleep(0.2)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(cut.wait(), linger)
        was_cut = cut.is_set()
        if client.connected:
            await client.disconnect()
        return received, was_cut

    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright's sync API owns this thread's event loop
        return pool.submit(asyncio.run, talk()).result(timeout=60)


def session_cookie_of_new_customer(base_url: str, address: str) -> str:
    body = json.dumps({"first_name": "Ada", "last_name": "Lovelace", "email": address,
                       "password": "correct horse battery"}).encode()
    request = urllib.request.Request(base_url + "/store/customers", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "Origin": base_url})
    with urllib.request.urlopen(request, timeout=30) as response:
        cookies = response.headers.get_all("set-cookie")
    return next(c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith(routes.SESSION_COOKIE + "="))


def test_hostile_frames_are_cut_after_a_few_and_the_log_holds_no_secret(app_server):
    session = session_cookie_of_new_customer(app_server.base_url, email("frames"))
    client_token, password, link_token = str(uuid.uuid4()), "hunter2 is my password", "linktoken" + uuid.uuid4().hex
    unknown = {"name": f"{ROOT}.nope.x", "payload": {"form": {"email": "a@example.com", "password": password}},
               "router_data": {"pathname": "/verify/", "asPath": f"/verify/?token={link_token}",
                               "query": {"token": link_token}}}
    log_before = app_server.log_path.read_text()
    _, cut = hostile_socket(app_server.base_url, client_token,
                            [unknown, "not an event", [1, 2], unknown, unknown, unknown],
                            cookie=f'x={{"a":1}}; {routes.SESSION_COOKIE}={session}')
    assert cut, "the socket should be cut after a few undispatchable frames"
    written = app_server.log_path.read_text()[len(log_before):]
    for secret in (session, client_token, password, link_token):
        assert secret not in written
    assert written.count("on a websocket; it is cut at frame") == 1, written[-3000:]  # once per socket
    assert "Traceback" not in written


def stolen_tab_state(shopper, app_server, pathname: str) -> str:
    """Close the shopper's tab, then hydrate its client token from a cookie-less socket; what that socket got."""
    token = shopper.page.evaluate("() => window.sessionStorage.getItem('token')")
    assert token
    shopper.page.close()  # the tab closes; its state stays on the server under its client token
    hydrate = {"name": f"{ROOT}.hydrate_and_load", "payload": {},
               "router_data": {"pathname": pathname, "asPath": pathname}}
    for _ in range(10):  # until the closed tab's socket is gone: till then Reflex hands out a new token
        received, _cut = hostile_socket(app_server.base_url, token, [hydrate], linger=2.0)
        if not any("new_token" in update for update in received):
            break
        time.sleep(1)
    text = json.dumps(received)
    assert "new_token" not in text and "customer_email_rx_state_" in text, text[:2000]  # the tab's own state
    return text


def test_a_closed_tabs_client_token_opens_no_customer_data_without_its_cookie(new_shopper, app_server):
    address, shopper = email("closedtab"), new_shopper()
    shopper.register(address, first="Tabitha")
    expect(shopper.page.get_by_text(address).first).to_be_attached()
    text = stolen_tab_state(shopper, app_server, "/account/")
    assert address not in text and "Tabitha" not in text, text[:2000]


def test_a_closed_guest_tabs_client_token_opens_not_its_order(new_shopper, app_server):
    guest, buyer = email("guesttab"), new_shopper()
    order_id = buyer.guest_checkout(guest)
    expect(buyer.page.get_by_text(guest).first).to_be_attached()  # the confirmation shows the order's email
    text = stolen_tab_state(buyer, app_server, "/order-confirmed/")
    assert "last_order_email_rx_state_" in text
    assert guest not in text and order_id not in text, text[:2000]


def test_a_guest_whose_browser_kept_its_pages_but_lost_its_cookies_is_bound_all_the_same(new_shopper, app_server):
    """A restart drops a browser's session cookies (the browser cookie is one) and keeps its cache: the pages it
    loads next must still give it a cookie, or the guest's order would be bound to no cookie at all."""
    guest, buyer = email("restarted"), new_shopper()
    buyer.go(routes.HOME)
    buyer.go(routes.CART)
    buyer.page.context.clear_cookies()
    order_id = buyer.guest_checkout(guest)
    expect(buyer.page.get_by_text(guest).first).to_be_attached()
    text = stolen_tab_state(buyer, app_server, "/order-confirmed/")
    assert guest not in text and order_id not in text, text[:2000]
    assert any(c["name"] == routes.BROWSER_COOKIE for c in buyer.page.context.cookies())
