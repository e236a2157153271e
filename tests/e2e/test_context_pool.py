"""The next test's shopper inherits nothing from the last one's pooled browser context (tests/e2e/context_pool.py):
not the login, not the cart, not anything stored on any origin, not a permission or a route."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import email, shoppers

STORED_BY_THE_PAGE = """async () => {
    localStorage.setItem("left-behind", "1");
    sessionStorage.setItem("left-behind", "1");
    await new Promise((done, failed) => {
        const opening = indexedDB.open("left-behind");
        opening.onupgradeneeded = () => opening.result.createObjectStore("things");
        opening.onsuccess = () => { opening.result.close(); done(); };
        opening.onerror = failed;
    });
    await caches.open("left-behind");
}"""
# What the test before stored (the shop's own page stores its tab's token as it loads, so not "nothing at all").
WHAT_IS_LEFT = """async () => ({
    local: localStorage.getItem("left-behind"), session: sessionStorage.getItem("left-behind"),
    databases: (await indexedDB.databases()).map(d => d.name), caches: await caches.keys(),
    clipboard: (await navigator.permissions.query({name: "clipboard-read"})).state,
})"""


def test_a_pooled_context_comes_back_with_nothing_of_the_test_before(browser, app_server):
    other_origin = app_server.base_url.replace("localhost", "127.0.0.1")
    with shoppers(browser, app_server.base_url) as make:
        before = make()
        context = before.page.context
        before.sign_up(email("pooled"))
        before.add_to_cart()
        before.page.evaluate(STORED_BY_THE_PAGE)
        before.go(routes.ACCOUNT)
        expect(before.page.get_by_role("heading", name="My orders")).to_be_visible()
        with before.page.expect_popup() as opened:  # a tab the page opens itself, on another origin
            before.page.evaluate("url => window.open(url)", other_origin + routes.HOME)
        opened.value.wait_for_load_state()
        opened.value.evaluate(STORED_BY_THE_PAGE)
        cookies_before = {(c["name"], c["value"]) for c in context.cookies()}
        assert routes.SESSION_COOKIE in {name for name, _ in cookies_before}
        context.grant_permissions(["clipboard-read"])
        context.route("**/ping", lambda route: route.fulfill(body="routed"))

    with shoppers(browser, app_server.base_url) as make:
        after = make()
        assert after.page.context is context  # the same context, handed on
        for origin in (app_server.base_url, other_origin):
            after.page.goto(origin + routes.HOME)
            assert after.page.evaluate(WHAT_IS_LEFT) == {"local": None, "session": None, "databases": [],
                                                          "caches": [], "clipboard": "prompt"}, origin
        after.go(routes.HOME)
        expect(after.page.locator("main")).to_have_attribute("data-loaded", "true")  # the cart's count is in
        after.open_menu()
        expect(after.page.get_by_role("link", name="Log in")).to_be_visible()
        expect(after.page.get_by_role("link", name=re.compile(r"^Cart"))).to_have_text(re.compile(r"^Cart\D*$"))
        cookies_after = {(c["name"], c["value"]) for c in context.cookies()}
        assert not cookies_before & cookies_after  # the pages gave it a new browser cookie, and nothing else
        assert {name for name, _ in cookies_after} == {routes.BROWSER_COOKIE}
        after.go("/ping")
        expect(after.page.locator("body")).not_to_have_text("routed")
