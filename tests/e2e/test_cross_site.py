"""Attacks that need a real browser: login CSRF from another site, framing, logout by page load,
and tampered websocket events. The attacker's pages are served by Playwright's router at another origin."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import email

EVIL = "http://attacker.test"


def serve(shopper, html: str, path: str) -> str:
    """Serve `html` at `path` on the attacker's origin in this shopper's browser (no network needed)."""
    url = EVIL + path
    shopper.page.context.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    return url


def capture_own_ticket(attacker, account: str) -> str:
    """The attacker logs in to their own account and keeps the one-minute ticket instead of using it."""
    tickets = []

    def keep(route):
        tickets.append(dict(pair.split("=", 1) for pair in (route.request.post_data or "").split("&")))
        route.abort()

    attacker.page.route("**/api/session/begin", keep)
    attacker.go(routes.LOGIN)
    attacker.login(account)
    for _ in range(150):  # the login handler answers with the form post within a second or two
        if tickets:
            return tickets[0]["ticket"]
        attacker.page.wait_for_timeout(100)
    raise AssertionError("the login form never posted its ticket")


def test_login_csrf_another_site_cannot_log_a_shopper_into_its_account(new_shopper, app_server):
    account = email("attacker")
    attacker = new_shopper()
    attacker.register(account)
    attacker.logout()
    ticket = capture_own_ticket(attacker, account)

    victim = new_shopper()
    victim.add_to_cart()  # a shopper with a cart, about to claim an order
    serve(victim, f"""<!doctype html><title>Win a prize</title>
        <form method="post" action="{app_server.url(routes.SESSION_BEGIN)}">
          <input type="hidden" name="ticket" value="{ticket}"><input type="hidden" name="next" value="/claim">
        </form><script>document.forms[0].submit()</script>""", "/prize")
    with victim.page.expect_response(re.compile(r"/api/session/begin")) as answer:
        victim.page.goto(f"{EVIL}/prize")
    assert answer.value.status == 403 and "set-cookie" not in answer.value.headers
    assert victim.page.request.get(app_server.url("/store/auth")).status == 401  # not logged in as the attacker
    victim.go(routes.HOME)
    expect(victim.page.get_by_role("link", name="Log in")).to_be_visible()


def framed_url(shopper, src: str, n: int) -> str:
    """Where an iframe of `src` on the attacker's page ended up (Chromium shows an error page for refusals)."""
    shopper.page.goto(serve(shopper, f'<!doctype html><title>Legit</title><iframe src="{src}"></iframe>', f"/frame{n}"))
    child = shopper.page.frames[-1]
    for _ in range(50):
        if child.url.startswith("chrome-error://") or shopper.page.frame_locator("iframe").locator("h1").count():
            break
        shopper.page.wait_for_timeout(100)
    return child.url


def test_no_page_can_be_framed_by_another_site(shopper, app_server):
    inner = serve(shopper, "<h1>Framed</h1>", "/inner")
    assert framed_url(shopper, inner, 0) == inner  # the check does see a frame that loads
    for n, path in enumerate((routes.with_query(routes.VERIFY, token="x"), routes.HOME, routes.ACCOUNT,
                              routes.DECLINE), start=1):
        assert framed_url(shopper, app_server.url(path), n).startswith("chrome-error://"), path
        expect(shopper.page.frame_locator("iframe").get_by_role("button")).to_have_count(0)


def test_a_link_to_logout_logs_nobody_out(shopper, app_server):
    shopper.register(email("ada"))
    logout_url = app_server.url(routes.LOGOUT)
    shopper.page.goto(serve(shopper, f'<!doctype html><img src="{logout_url}"><a href="{logout_url}">Read more</a>',
                            "/page"))
    shopper.page.get_by_role("link").click()
    expect(shopper.page.get_by_role("button", name="Log out")).to_be_visible()
    assert shopper.page.request.get(app_server.url("/store/auth")).status == 200
    with shopper.page.expect_navigation(url=shopper.base_url + routes.HOME):
        shopper.page.get_by_role("button", name="Log out").click()
    assert shopper.page.request.get(app_server.url("/store/auth")).status == 401


def tamper(shopper, handler_name: str, payload: dict) -> None:
    """Rewrite the next event for `handler_name` the page sends over its websocket, as a hand-made client could."""

    def route(ws):
        server = ws.connect_to_server()

        def outgoing(message):  # socket.io frames: 42/_event,["event",{name, payload, ...}]
            if isinstance(message, str) and message.startswith("42") and handler_name in message:
                head, _, body = message.partition(",")
                name, event = json.loads(body)
                event["payload"] = payload
                message = f"{head},{json.dumps([name, event])}"
            server.send(message)

        ws.on_message(outgoing)
        server.on_message(lambda message: ws.send(message))

    shopper.page.route_web_socket(re.compile(r"/_event"), route)


def test_a_tampered_event_gets_the_pages_own_alert_not_an_error_screen(shopper, app_server):
    tamper(shopper, ".add", {"form": {"variant_id": {"$ne": ""}, "quantity": ["1"]}})
    shopper.go(routes.HOME)
    card = shopper.page.get_by_test_id("product-card").first
    card.get_by_role("button", name="Add to cart").click()
    expect(shopper.page.get_by_role("alert")).to_contain_text("could not be read")
    expect(shopper.page.get_by_text("An error occurred")).to_have_count(0)
    expect(shopper.page.get_by_role("link", name=re.compile(r"^Cart"))).to_have_text("Cart")  # nothing added


def test_an_event_with_made_up_arguments_is_refused_without_a_traceback(shopper, app_server):
    tamper(shopper, ".add", {"bogus": 1})
    shopper.go(routes.HOME)
    shopper.page.get_by_test_id("product-card").first.get_by_role("button", name="Add to cart").click()
    toast = shopper.page.locator("[data-sonner-toast]").filter(has_text="That did not work. Reload the page")
    expect(toast).to_be_visible()
    shopper.page.wait_for_timeout(600)  # until it has slid into place
    close = toast.get_by_role("button", name=re.compile("close", re.IGNORECASE)).bounding_box()
    assert round(close["width"]) >= 24 and round(close["height"]) >= 24, close  # WCAG 2.5.8's minimum
    log = app_server.log_path.read_text()
    assert "refused an event with the wrong arguments" in log
    assert "Traceback" not in log.split("refused an event with the wrong arguments")[-1][:2000]


def test_a_tampered_quantity_change_is_answered_in_the_cart_not_with_a_traceback(shopper, app_server):
    shopper.add_to_cart("Dot Notebook")
    tamper(shopper, ".set_quantity", {"line_id": "1 OR 1=1", "quantity": "2"})
    shopper.go(routes.CART)
    shopper.page.get_by_role("row").filter(has_text="Dot Notebook").get_by_label("Quantity").select_option("3")
    expect(shopper.page.get_by_role("alert")).to_contain_text("could not be read")
    expect(shopper.page.get_by_role("link", name=re.compile(r"^Cart"))).to_have_text("Cart (1)")
