"""Products are in the page the server sends: a phone shows them before any JavaScript has run, and Add to cart
works once the page's websocket is up (never before: a click then would be lost). What a person does on the page
before it works (a form sent, a size chosen, the menu pressed) is held and done once it does, and a form is never
sent by the browser itself."""

from __future__ import annotations

import contextlib
import re
import time
import urllib.request
from collections.abc import Iterator

from playwright.sync_api import Page, expect
from sqlmodel import Session, delete

from bench.app_process import RunningApp
from storefront import routes
from storefront.db import make_engine
from storefront.models import CartLine, Product, Variant
from storefront.services.catalog import DEMO_PRODUCTS, PICTURES


def raw_html(app: RunningApp, path: str) -> str:
    with urllib.request.urlopen(app.url(path), timeout=10) as answer:
        return answer.read().decode()


def buttons(html: str, name: str) -> list[str]:
    """The opening tags of the <button>s whose text is `name`."""
    return re.findall(rf"(<button[^>]*>)(?:<!-- -->)?{re.escape(name)}</button>", html)


def wait_until_react_has(control) -> None:
    """Until React has hydrated `control` (it marks the node with a `__reactProps$...` key). Its socket opening
    is not the sign: React hydrates parts of a page after its root's effects have run."""
    control.wait_for()
    control.page.wait_for_function(
        "(node) => Object.keys(node).some((key) => key.startsWith('__reactProps'))", arg=control.element_handle())


def euros(cents: int) -> str:
    return f"€{cents / 100:.2f}"


def test_the_catalogs_html_holds_every_product_with_its_picture_price_and_a_waiting_add_to_cart(app_server):
    html = raw_html(app_server, routes.HOME)
    for handle, title, _, variants in DEMO_PRODUCTS:
        assert f">{title}<" in html and f'href="/products/{handle}"' in html, title
        assert f'src="/products/{handle}.svg"' in html, title
        assert f">{euros(variants[0][1])}<" in html, title
    add = buttons(html, "Add to cart")
    assert len(add) == len(DEMO_PRODUCTS) and all("disabled" in tag for tag in add), add
    assert 'aria-busy="true"' not in html  # no placeholder in place of products the page already has


def test_a_product_pages_html_holds_its_name_picture_price_sizes_and_add_to_cart(app_server):
    html = raw_html(app_server, routes.product_path("classic-tee"))
    assert "<title>Classic T-Shirt · Storefront</title>" in html
    assert re.search(r"<h1[^>]*>Classic T-Shirt</h1>", html)
    assert f'alt="{PICTURES["classic-tee"]}"' in html and 'src="/products/classic-tee.svg"' in html
    assert ">€19.00<" in html
    assert all(f">{size}</span></label>" in html for size in ("S", "M", "L"))  # the Size radio group
    add = buttons(html, "Add to cart")
    assert len(add) == 1 and "disabled" in add[0]


def test_the_page_without_javascript_shows_the_products(browser, app_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.goto(app_server.url(routes.HOME))
        card = page.get_by_test_id("product-card").filter(has=page.get_by_role("heading", name="Zip Hoodie"))
        expect(card).to_contain_text("€54.00")
        expect(card.get_by_role("button", name="Add to cart")).to_be_disabled()
        page.goto(app_server.url(routes.product_path("hoodie")))
        expect(page.get_by_role("heading", level=1)).to_have_text("Zip Hoodie")
        expect(page.get_by_role("img", name=PICTURES["hoodie"])).to_be_visible()
        expect(page.get_by_role("radiogroup", name="Size").get_by_role("radio")).to_have_count(2)
    finally:
        context.close()


def test_add_to_cart_waits_for_the_websocket_then_adds_the_size_chosen_meanwhile(shopper, app_server):
    held = []
    shopper.page.route_web_socket(re.compile(r"/_event"), lambda ws: held.append(ws))  # the socket gets no server yet
    shopper.go(routes.product_path("classic-tee"))
    button = shopper.page.get_by_role("button", name="Add to cart")
    expect(shopper.page.get_by_role("heading", level=1)).to_have_text("Classic T-Shirt")
    expect(button).to_be_disabled()
    while not held:  # the page's JavaScript has run and opened its socket, which the test holds
        shopper.page.wait_for_timeout(50)
    wait_until_react_has(shopper.page.get_by_role("radio", name="M", exact=True))
    shopper.page.get_by_role("radio", name="M", exact=True).click()  # chosen while the page connects
    expect(button).to_be_disabled()
    held[0].connect_to_server()
    button.click()
    expect(shopper.page.get_by_role("status")).to_have_text("Classic T-Shirt, size M, was added to your cart.")
    expect(shopper.page.get_by_role("link", name=re.compile(r"^Cart"))).to_have_text("Cart (1)")


def test_a_size_chosen_on_a_catalog_card_while_the_page_connects_survives_the_live_catalog(shopper, app_server):
    held, from_server = [], []
    shopper.page.route_web_socket(re.compile(r"/_event"), lambda ws: held.append(ws))  # the socket gets no server yet
    shopper.go(routes.HOME)
    card = shopper.page.get_by_test_id("product-card").filter(
        has=shopper.page.get_by_role("heading", name="Classic T-Shirt"))
    button = card.get_by_role("button", name="Add to cart")
    expect(button).to_be_disabled()
    while not held:  # the page's JavaScript has run and opened its socket, which the test holds
        shopper.page.wait_for_timeout(50)
    wait_until_react_has(card.get_by_role("radio", name="M", exact=True))
    card.get_by_role("radio", name="M", exact=True).click()  # chosen on the build's copy of the card

    def forward(message):  # what the server says, seen on its way to the page
        from_server.append(message)
        held[0].send(message)

    held[0].connect_to_server().on_message(forward)
    deadline = time.monotonic() + 15
    while not any("fetched" in str(m) for m in from_server):  # the live catalog has replaced the build's copy
        assert time.monotonic() < deadline, "the live catalog never arrived"
        shopper.page.wait_for_timeout(50)
    expect(card.get_by_role("radio", name="M", exact=True)).to_be_checked()
    button.click()
    expect(card.get_by_role("status")).to_have_text("Classic T-Shirt, size M, was added to your cart.")


@contextlib.contextmanager
def added_product(app: RunningApp, handle: str, title: str, cents: int) -> Iterator[None]:
    """A product added to the running shop's database after its pages were built, and taken out again (with the
    cart lines that hold it): the app is shared by the tests after this one, which compare pages with the build."""
    engine = make_engine(app.database_url)
    product_id, variant_id = f"prod_{handle}", f"variant_{handle}_1"
    try:
        with Session(engine) as session:
            session.add(Product(id=product_id, handle=handle, title=title, description="Added since the build.",
                                thumbnail="/products/tote.svg"))
            session.flush()
            session.add(Variant(id=variant_id, product_id=product_id, title="One size", price=cents))
            session.commit()
        yield
    finally:
        with Session(engine) as session:
            session.execute(delete(CartLine).where(CartLine.variant_id == variant_id))
            session.execute(delete(Variant).where(Variant.id == variant_id))
            session.execute(delete(Product).where(Product.id == product_id))
            session.commit()
        engine.dispose()


def test_a_product_added_after_the_build_shows_and_sells_through_its_live_page(shopper, app_server):
    with added_product(app_server, "late-scarf", "Late Scarf", 2700):
        path = routes.product_path("late-scarf")
        assert "Late Scarf" not in raw_html(app_server, routes.HOME)  # not in the build's copy
        shopper.go(routes.HOME)
        card = shopper.page.get_by_test_id("product-card").filter(has=shopper.page.get_by_role("heading",
                                                                                               name="Late Scarf"))
        expect(card).to_contain_text("€27.00")  # the live catalog replaced the build's copy
        shopper.go(path)
        expect(shopper.page.get_by_role("heading", level=1)).to_have_text("Late Scarf")
        expect(shopper.page).to_have_title("Late Scarf · Storefront")
        shopper.page.get_by_role("button", name="Add to cart").click()
        expect(shopper.page.get_by_role("status")).to_have_text("Late Scarf was added to your cart.")


def test_a_form_sent_before_the_pages_scripts_run_never_puts_its_password_in_a_url(browser, app_server):
    """The login form is painted from the HTML; a person may press Log in before the page works."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.route(re.compile(r"/assets/[^/]*\.js$"), lambda route: route.abort())  # a phone's scripts, late
        sent = []
        page.on("request", lambda request: sent.append(request.url))
        page.goto(app_server.url(routes.LOGIN))
        page.get_by_label("Email").fill("ada@example.com")
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_timeout(500)
        assert "battery" not in page.url and not [url for url in sent if "battery" in url], sent
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()  # still the page it was
    finally:
        context.close()


class HeldScripts:
    """A page whose scripts are held back until `release()`: a phone's slow link, made certain."""

    def __init__(self, page) -> None:
        self.page, self.held = page, []
        page.route(re.compile(r"/assets/[^/]*\.js$"), self._hold)

    def _hold(self, route) -> None:
        if self.held is None:
            route.continue_()
        else:
            self.held.append(route)

    def release(self) -> None:
        assert self.held and not self.page.evaluate(
            "Object.keys(document.querySelector('main')).some((key) => key.startsWith('__reactProps'))"
        ), "the page worked already: the test proves nothing"
        held, self.held = self.held, None
        for route in held:
            route.continue_()


@contextlib.contextmanager
def before_it_works(browser, url: str) -> Iterator[tuple[Page, HeldScripts]]:
    """A phone's page painted from its HTML, its scripts held back until the test releases them."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        scripts = HeldScripts(page)
        page.goto(url, wait_until="commit")  # "load" would wait for the scripts
        yield page, scripts
    finally:
        context.close()


def test_a_form_sent_before_the_page_works_is_sent_once_it_does(browser, app_server):
    with before_it_works(browser, app_server.url(routes.LOGIN)) as (page, scripts):
        page.get_by_label("Email").fill("nobody@example.com")  # in the HTML as painted, before React runs
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
        scripts.release()
        expect(page.get_by_role("alert")).to_contain_text("The email or password is wrong")
        expect(page.get_by_label("Email")).to_have_value("nobody@example.com")


class HeldSocket:
    """The page's websocket, its opening held back until `release()`: a server slow to take a phone's socket,
    made certain. Meanwhile React works, and what a person does is queued, to go out the moment it opens: while
    the server may still be running the hydrate, and has not yet queued the page's load behind it."""

    def __init__(self, page) -> None:
        self.held, self.server, self.frames = [], None, []
        page.route_web_socket(re.compile(r"/_event"), self._route)

    def _route(self, socket) -> None:
        self.server = socket.connect_to_server()
        socket.on_message(self._send)
        self.server.on_message(lambda frame: (self.frames.append(("received", frame)), socket.send(frame)))

    def _send(self, frame) -> None:
        if self.held is None:
            self.frames.append(("sent", frame))
            self.server.send(frame)
        else:
            self.held.append(frame)

    def release(self) -> None:
        assert self.held, "the page never opened its socket: the test proves nothing"
        held, self.held = self.held, None
        for frame in held:
            self._send(frame)

    def sent_after_the_load(self, event: str) -> bool:
        """Whether the browser sent `event` only once the page's load had answered (Reflex's wire format: the
        load's last word is the delta that sets `is_hydrated`)."""
        order = [direction for direction, frame in self.frames
                 if (direction == "sent" and event in str(frame))
                 or (direction == "received" and '"is_hydrated_rx_state_":true' in str(frame))]
        return order[:2] == ["received", "sent"]


def expect_the_login_answer_to_stay(page: Page, socket: HeldSocket) -> None:
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The email or password is wrong")
    page.wait_for_timeout(500)  # the page's own load (its form reset) would have wiped it by now
    expect(alert).to_contain_text("The email or password is wrong")
    expect(page.get_by_label("Email")).to_have_value("nobody@example.com")
    # Reflex queues the page's load only as the hydrate finishes: a form that reaches the server first may be
    # answered first, and the load's reset then wipes the answer. Only the order the browser sends them in makes
    # the answer certain to stay, however slow the server is.
    assert socket.sent_after_the_load("login_state.submit"), socket.frames


def test_a_form_sent_before_the_page_works_keeps_its_answer_when_the_socket_opens_late(browser, app_server):
    with before_it_works(browser, app_server.url(routes.LOGIN)) as (page, scripts):
        socket = HeldSocket(page)
        page.get_by_label("Email").fill("nobody@example.com")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
        scripts.release()
        wait_until_react_has(page.get_by_role("button", name="Log in"))
        page.wait_for_function("() => window.__reflex !== undefined")
        page.wait_for_timeout(300)  # long enough for the held form to be handed to React, were it handed now
        socket.release()
        expect_the_login_answer_to_stay(page, socket)


def test_a_form_sent_once_react_works_but_before_the_page_has_loaded_keeps_its_answer(browser, app_server):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        socket = HeldSocket(page)
        page.goto(app_server.url(routes.LOGIN))
        button = page.get_by_role("button", name="Log in")
        wait_until_react_has(button)
        page.get_by_label("Email").fill("nobody@example.com")
        page.get_by_label("Password").fill("not the password")
        button.click()
        socket.release()
        expect_the_login_answer_to_stay(page, socket)
    finally:
        context.close()


def test_a_size_chosen_before_the_page_works_is_the_size_added(browser, app_server):
    with before_it_works(browser, app_server.url(routes.product_path("classic-tee"))) as (page, scripts):
        page.get_by_role("radio", name="L", exact=True).click()  # a button only React makes work
        scripts.release()
        expect(page.get_by_role("radio", name="L", exact=True)).to_be_checked()
        page.get_by_role("button", name="Add to cart").click()
        expect(page.get_by_role("status")).to_have_text("Classic T-Shirt, size L, was added to your cart.")


def test_the_menu_opened_before_the_page_works_opens_once_it_does(browser, app_server):
    with before_it_works(browser, app_server.url(routes.HOME)) as (page, scripts):
        menu = page.get_by_role("button", name="Menu")
        menu.click()
        scripts.release()
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()
        page.wait_for_timeout(500)  # held once, done once: a second toggle would have closed it by now
        expect(menu).to_have_attribute("aria-expanded", "true")
