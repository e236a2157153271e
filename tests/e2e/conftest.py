"""E2E helpers: a fresh browser context per test and a Shopper that acts through the UI only."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, create_engine

from storefront import routes
from storefront.models import OutboxMessage

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"
_ids = itertools.count(1)
_run = f"{int(time.time())}{os.getpid()}"

expect.set_options(timeout=15_000)


def email(prefix: str) -> str:
    return f"{prefix}-{_run}-{next(_ids)}@example.com"


# An email taller than any screen, whose last line must be readable without scrolling inside the frame.
TALL_HTML = ("<html><head></head><body>" + "".join(f"<p>Paragraph {n} of the note.</p>" for n in range(40))
             + "<p>This link works once and expires in 1 hour.</p></body></html>")


def store_mail(app_server, tag: str, count: int, *, to: str | None = None) -> list[int]:
    """Put `count` messages straight into the app's outbox (as the shop would), oldest first; their IDs."""
    engine = create_engine(f"sqlite:///{app_server.database_path}")
    ids = []
    with Session(engine) as session:
        for n in range(1, count + 1):
            message = OutboxMessage(to=to or f"reader-{tag}-{n}@example.com", subject=f"Note {tag} number {n}",
                                    text=f"Note {n}.", html=TALL_HTML, status="sent")
            session.add(message)
            session.commit()
            ids.append(message.id)
    engine.dispose()
    return ids


GUEST_ADDRESS = {"first_name": "Grace", "last_name": "Hopper", "address_1": "1 Harbour Street", "city": "Arlington",
                 "postal_code": "22201", "country_code": "us"}


def place_guest_order(base_url: str, email_address: str, product: str = "Classic T-Shirt", *,
                      client: httpx.Client | None = None) -> str:
    """A guest order placed through the store API, where the order is only a test's starting point; returns its
    ID. No browser is involved (none of the shoppers' carts changes). The checkout pages themselves are walked
    through by the tests about them and by the whole flow (Shopper.guest_checkout), ~2 s each on this machine.

    Raises httpx's errors for a refused or failed request (the two-machine test tells a dead machine by them).
    """
    with contextlib.nullcontext(client) if client else httpx.Client(timeout=30) as http:
        products = http.get(f"{base_url}/store/products").raise_for_status().json()["products"]
        variant = next(p for p in products if p["title"] == product)["variants"][0]["id"]
        cart = http.post(f"{base_url}/store/carts", json={"items": [{"variant_id": variant, "quantity": 1}]})
        cart_id = cart.raise_for_status().json()["cart"]["id"]
        http.post(f"{base_url}/store/carts/{cart_id}",
                  json={"email": email_address, "shipping_address": GUEST_ADDRESS}).raise_for_status()
        done = http.post(f"{base_url}/store/carts/{cart_id}/complete").raise_for_status().json()
    assert done["type"] == "order", done
    return done["data"]["id"]


class Shopper:
    """One person in one browser context, using the shop as a person would."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page, self.base_url = page, base_url
        self.account_email = ""

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def shot(self, name: str) -> None:
        """Refresh the README's screenshots, only when asked (`make screenshots`): they are committed files.

        One at a laptop's width and one at a phone's (`<name>-1280.png`, `<name>-390.png`), then back.
        """
        if not os.environ.get("STOREFRONT_SCREENSHOTS"):
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # A toast from an earlier step would cover the page in the picture; the page itself is unchanged.
        self.page.add_style_tag(content="[data-sonner-toaster] { display: none !important; }")
        before = self.page.viewport_size
        for width in (1280, 390):
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.wait_for_timeout(300)  # let the layout settle at the new width
            self.wait_for_images()
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        self.page.set_viewport_size(before)

    def wait_for_images(self) -> None:
        """Wait until every image on the page has loaded and has pixels (a broken one never does)."""
        self.page.wait_for_function(
            "Array.from(document.images).every(image => image.complete && image.naturalWidth > 0)"
        )

    def add_to_cart(self, product: str = "Classic T-Shirt") -> None:
        self.go(routes.HOME)
        card = self.page.get_by_test_id("product-card").filter(has=self.page.get_by_role("heading", name=product))
        button = card.get_by_role("button", name="Add to cart")
        # The cards are in the page's HTML; the button is enabled once the page's load has run, and with it
        # the header's count of what the cart already holds.
        expect(button).to_be_enabled()
        before = self.page.get_by_role("link", name=re.compile(r"^Cart")).inner_text()
        button.click()
        expect(self.page.get_by_role("link", name=re.compile(r"^Cart"))).not_to_have_text(before)

    def fill_checkout(self, address: str = "1 Harbour Street", full_name: str = "Grace Hopper",
                      email_address: str | None = None) -> None:
        self.page.get_by_role("link", name=re.compile(r"^Cart")).click()
        expect(self.page).to_have_url(re.compile(r"/cart/?$"))
        self.page.get_by_role("link", name="Checkout").click()
        expect(self.page.get_by_role("button", name="Place order")).to_be_visible()
        if email_address is not None:
            self.page.get_by_label("Email", exact=True).fill(email_address)
        self.page.get_by_label("Full name").fill(full_name)
        self.page.get_by_label("Address").fill(address)
        self.page.get_by_label("City").fill("Arlington")
        self.page.get_by_label("Postal code").fill("22201")

    def guest_checkout(self, email_address: str, product: str = "Classic T-Shirt") -> str:
        """Buy one product as a guest; returns the order ID shown on the confirmation page."""
        self.add_to_cart(product)
        self.fill_checkout(email_address=email_address)
        self.page.get_by_role("button", name="Place order").click()
        order_id = self.page.get_by_test_id("order-id")
        expect(order_id).to_have_text(re.compile(r"^order_[0-9A-Z]{26}$"))
        return order_id.inner_text()

    def register(self, email_address: str, first: str = "Ada", last: str = "Lovelace") -> None:
        self.go(routes.REGISTER)
        self.page.get_by_label("First name").fill(first)
        self.page.get_by_label("Last name").fill(last)
        self.page.get_by_label("Email", exact=True).fill(email_address)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Create account").click()
        expect(self.page).to_have_url(re.compile(r"/account/?$"))
        expect(self.page.get_by_role("heading", name="My orders")).to_be_visible()

    def sign_up(self, email_address: str, first: str = "Ada", last: str = "Lovelace") -> None:
        """An account made through the store API with this browser's cookies: the next page it opens is logged in.
        For tests where the account is only a starting point (~0.1 s instead of ~0.6 s for the register page and
        My orders); the register page is walked through by the tests about it and by the whole flow."""
        response = self.page.request.post(self.base_url + "/store/customers", data={
            "first_name": first, "last_name": last, "email": email_address, "password": PASSWORD})
        assert response.ok, response.text()

    def login(self, email_address: str, password: str = PASSWORD) -> None:
        self.page.get_by_label("Email", exact=True).fill(email_address)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()

    def open_menu(self) -> None:
        """On a narrow screen the header's links fold behind the Menu button: open it (a no-op when wide)."""
        menu = self.page.get_by_role("button", name="Menu")
        if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
            menu.click()
            expect(menu).to_have_attribute("aria-expanded", "true")

    def logout(self) -> None:
        self.open_menu()
        # Wait for the form post's own landing on the home page, not any earlier client-side route change.
        with self.page.expect_navigation(url=self.base_url + routes.HOME):
            self.page.get_by_role("button", name="Log out").click()
        self.open_menu()
        expect(self.page.get_by_role("link", name="Log in")).to_be_visible()

    def claim(self, *order_ids: str, separator: str = "\n") -> None:
        self.go(routes.CLAIM)
        self.page.get_by_label("Order IDs").fill(separator.join(order_ids))
        self.page.get_by_role("button", name="Claim orders").click()

    def search_outbox(self, query: str) -> None:
        """Search the open outbox and wait until the list is the search's: until then a row of the list before it
        could be clicked, and the search's own load would close the message that click opened."""
        self.page.get_by_label("Search").fill(query)
        self.page.get_by_role("button", name="Search").click()
        expect(self.page.get_by_role("status").filter(has_text=re.compile(r" match(es)? "))).to_contain_text(query)
        expect(self.page.get_by_test_id("outbox-row").filter(has_not_text=query)).to_have_count(0)

    def open_claim_link_from_outbox(self, to: str, which: str = "verify") -> str:
        """Find the claim email in /outbox as a person would and follow its link; returns the URL."""
        self.go(routes.OUTBOX)
        self.search_outbox(to)
        row = self.page.get_by_test_id("outbox-row").filter(has_text="Confirm your order claim").first
        row.get_by_role("button").click()
        expect(self.page.get_by_test_id("outbox-message")).to_contain_text(to)
        link = self.page.get_by_test_id("message-links").get_by_role("link", name=re.compile(f"{which}\\/?\\?token="))
        href = link.get_attribute("href")
        link.click()
        expect(self.page).to_have_url(re.compile(f"/{which}/?\\?token="))
        return href

    def expect_in_my_orders(self, *order_ids: str) -> None:
        """The account page lists these orders (waits for them to appear)."""
        self.go(routes.ACCOUNT)
        for order_id in order_ids:
            expect(self.page.get_by_test_id("order-row").filter(has_text=order_id)).to_be_visible()

    def api_order_ids(self) -> list[str]:
        """The customer's orders from the REST API, with this browser's session cookie."""
        response = self.page.request.get(self.base_url + "/store/customers/me/orders")
        assert response.ok, response.text()
        return [order["id"] for order in response.json()["orders"]]


@contextlib.contextmanager
def shoppers(browser, base_url: str, width: int = 1100) -> Iterator[Callable[[], Shopper]]:
    """Make as many independent shoppers of the app at `base_url` as a test needs, each in a new browser context
    (no cookie, no stored data, a cold cache) of its own `width` CSS pixels wide, in a new tab. Below 768 it is a
    phone (a touch screen; the header folds behind Menu). The contexts close when the test is done.
    """
    contexts = []
    phone = width < 768

    def make() -> Shopper:
        context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone)
        contexts.append(context)
        return Shopper(context.new_page(), base_url)

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def new_shopper(browser, app_server):
    with shoppers(browser, app_server.base_url) as make:
        yield make


@pytest.fixture
def shopper(new_shopper) -> Shopper:
    return new_shopper()
