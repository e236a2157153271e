"""Every page state of the flow, on a phone (390 px) and a laptop (1280 px): each must pass axe-core with no
serious or critical violation and nothing outside a landmark, must not scroll sideways, and must log no
console error (tests/e2e/audit.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from storefront import routes
from tests.e2e.audit import DESKTOP, PHONE, ConsoleErrors, check_page, sideways_overflow
from tests.e2e.conftest import email, place_guest_order, shoppers, store_mail


class Walker:
    """A shopper whose every stop is checked."""

    def __init__(self, shopper, width: int) -> None:
        self.shopper, self.page, self.width = shopper, shopper.page, width
        self.console = ConsoleErrors(self.page)

    def check(self, state: str) -> None:
        self.shopper.wait_for_images()
        # Its own load has run: a form sent now goes at once (components/held_actions.py holds it until then).
        expect(self.page.locator("main")).to_have_attribute("data-loaded", "true")
        check_page(self.page, f"{state} at {self.width}px", self.console)
        if self.width == PHONE:  # the narrowest and widest common phones must not scroll sideways either
            for width in (360, 430):
                self.page.set_viewport_size({"width": width, "height": 900})
                overflow = sideways_overflow(self.page)
                assert overflow <= 0, f"{state} scrolls {overflow}px sideways at {width}px"
            self.page.set_viewport_size({"width": PHONE, "height": 900})


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_state_passes_axe_fits_the_screen_and_logs_no_error(browser, app_server, width):
    with shoppers(browser, app_server.base_url, width=width) as make:
        guest, customer = Walker(make(), width), Walker(make(), width)
        first_email, second_email = email("guest"), email("guest")
        page = guest.page

        guest.shopper.go(routes.HOME)
        expect(page.get_by_test_id("product-card")).not_to_have_count(0)
        guest.check("catalog")
        if width == PHONE:
            guest.shopper.open_menu()
            guest.check("catalog with the menu open")
            page.get_by_role("button", name="Menu").click()
        page.get_by_role("link", name="Classic T-Shirt").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Classic T-Shirt")
        guest.check("product page")
        page.get_by_role("radio", name="M").click()
        page.get_by_role("button", name="Add to cart").click()
        expect(page.get_by_text("Classic T-Shirt, size M, was added to your cart.")).to_be_visible()
        guest.check("product page with the added-to-cart toast")

        guest.shopper.go(routes.CART)
        expect(page.get_by_role("row").filter(has_text="Classic T-Shirt")).to_be_visible()
        guest.check("cart")
        page.get_by_role("link", name="Checkout").click()
        expect(page.get_by_role("button", name="Place order")).to_be_visible()
        guest.check("checkout")
        page.evaluate("document.querySelector('form').noValidate = true")
        page.get_by_role("button", name="Place order").click()
        expect(page.get_by_role("alert")).to_contain_text("Please correct these")
        guest.check("checkout with errors")
        guest.shopper.fill_checkout(email_address=first_email, full_name="Cher")
        page.get_by_role("button", name="Place order").click()
        expect(page.get_by_test_id("order-id")).to_have_text(re.compile(r"^order_"))
        guest.check("order confirmed")
        first_order = page.get_by_test_id("order-id").inner_text()
        second_order = place_guest_order(app_server.base_url, second_email, "Canvas Cap")

        me = customer.page
        customer.shopper.go(routes.REGISTER)
        customer.check("register")
        me.evaluate("document.querySelector('form').noValidate = true")
        me.get_by_role("button", name="Create account").click()
        expect(me.get_by_role("alert")).to_contain_text("Please correct these 4 fields")
        customer.check("register with errors")
        customer.shopper.register(email("ada"))
        customer.check("my orders, empty")
        customer.shopper.add_to_cart("Dot Notebook")
        customer.shopper.fill_checkout()
        customer.check("checkout, logged in")
        me.get_by_role("button", name="Place order").click()
        expect(me.get_by_test_id("order-id")).to_be_visible()
        customer.shopper.go(routes.CLAIM)
        expect(me.get_by_label("Order IDs")).to_be_visible()
        customer.check("claim form")
        customer.shopper.claim(first_order, second_order)
        expect(me.get_by_role("status")).to_contain_text("confirmation link is on its way")
        customer.check("claim sent")
        customer.shopper.go(routes.ACCOUNT)
        expect(me.get_by_test_id("claim-row")).to_have_count(2)
        expect(me.get_by_test_id("order-row")).to_have_count(1)
        customer.check("my orders with an order and pending claims")

        customer.shopper.go(routes.OUTBOX)
        expect(me.get_by_test_id("outbox-row").first).to_be_visible()
        customer.check("outbox")
        me.get_by_label("Search").fill(first_email)
        me.get_by_role("button", name="Search").click()
        expect(me.get_by_test_id("outbox-row").filter(has_text=second_email)).to_have_count(0)
        me.get_by_test_id("outbox-row").filter(has_text="Confirm your order claim").get_by_role("button").click()
        expect(me.get_by_test_id("outbox-message")).to_contain_text(first_order)
        customer.check("outbox message")
        me.reload()
        expect(me.get_by_test_id("outbox-message")).to_contain_text(first_order)
        customer.check("outbox message opened from its own address")
        me.get_by_role("button", name="Back to messages" if width == PHONE else "Close").click()
        expect(me.get_by_test_id("outbox-message")).to_have_count(0)
        expect(me.get_by_role("status").filter(has_text="match")).to_be_visible()
        customer.check("outbox, searched")
        store_mail(app_server, "unseen", 2)
        expect(me.get_by_role("status").filter(has_text="2 new messages not shown")).to_be_visible(timeout=10_000)
        customer.check("outbox, new mail the search hides")
        me.get_by_test_id("outbox-row").filter(has_text="Confirm your order claim").get_by_role("button").click()
        me.get_by_test_id("message-links").get_by_role("link", name=re.compile(r"verify\/?\?token=")).click()
        expect(me.get_by_role("button", name="Confirm claim")).to_be_visible()
        customer.check("verify, ready")
        me.get_by_role("button", name="Confirm claim").click()
        expect(me.get_by_role("status")).to_contain_text(first_order)
        customer.check("verify, done")
        customer.shopper.go(routes.with_query(routes.VERIFY, token="not-a-token"))
        expect(me.get_by_role("alert")).to_contain_text("not valid")
        customer.check("verify, bad link")
        customer.shopper.expect_in_my_orders(first_order)
        customer.check("my orders with a claimed order")

        [mail] = [m for m in app_server.outbox(second_email) if "claim" in m["subject"]]
        verify_link, decline_link = mail["links"]
        guest.page.goto(verify_link)
        expect(page.get_by_role("link", name="Log in to confirm")).to_be_visible()
        guest.check("verify, logged out")
        guest.page.goto(decline_link)
        expect(page.get_by_role("button", name="Decline claim")).to_be_visible()
        guest.check("decline")
        page.get_by_role("button", name="Decline claim").click()
        expect(page.get_by_role("status")).to_contain_text("declined")
        guest.check("decline, done")

        guest.shopper.go(routes.LOGIN)
        guest.shopper.login(email("nobody"), "not the password")
        expect(page.get_by_role("alert")).to_contain_text("email or password is wrong")
        guest.check("login with an error")
        customer.shopper.go(routes.LOGOUT)
        expect(me.get_by_text("You are logged in as")).to_be_visible()
        customer.check("log out")


def test_the_not_found_page_passes_too(browser, app_server):
    with shoppers(browser, app_server.base_url, width=PHONE) as make:
        visitor = make()
        visitor.go("/no-such-page")
        expect(visitor.page.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(visitor.page.locator("main")).to_have_attribute("data-loaded", "true")
        check_page(visitor.page, "404 at 390px")  # its console holds the document's own 404, as it should


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_way_out_pages_pass_too(browser, app_server, width):
    """Issue 9's pages: forgot and reset password, a claim link seen from another account, login from a link."""
    with shoppers(browser, app_server.base_url, width=width) as make:
        asker, owner = Walker(make(), width), Walker(make(), width)
        order_id = place_guest_order(app_server.base_url, email("guest"))
        asker_email = email("ada")
        asker.shopper.sign_up(asker_email)
        asker.shopper.claim(order_id)
        expect(asker.page.get_by_role("status")).to_contain_text("on its way")
        asker.shopper.go(routes.ACCOUNT)
        expect(asker.page.get_by_role("button", name="Send again")).to_be_visible()
        asker.check("my orders with Send again")

        verify_link = next(link for m in app_server.outbox() if order_id in m["text"] and "claim" in m["subject"]
                           for link in m["links"] if "/verify" in link)
        owner.page.goto(verify_link)
        owner.page.get_by_role("link", name="Log in to confirm").click()
        expect(owner.page.get_by_text("Log in as the account that asked for this claim")).to_be_visible()
        owner.check("login from a claim link")
        owner.shopper.register(email("owner"))
        owner.page.goto(verify_link)
        expect(owner.page.get_by_role("link", name="Not me: decline this claim")).to_be_visible()
        owner.check("verify, another account")

        asker.shopper.logout()
        asker.shopper.go(routes.FORGOT_PASSWORD)
        asker.check("forgot password")
        asker.page.get_by_label("Email", exact=True).fill(asker_email)
        asker.page.get_by_role("button", name="Send reset link").click()
        expect(asker.page.get_by_role("status")).to_contain_text("on its way")
        asker.check("forgot password, sent")
        [reset] = [m for m in app_server.wait_for_mail(asker_email, "Reset your Storefront password")]
        asker.page.goto(reset["links"][0])
        expect(asker.page.get_by_label("New password")).to_be_visible()
        asker.check("reset password")
        asker.shopper.go(routes.with_query(routes.RESET_PASSWORD, token="not-a-token"))
        expect(asker.page.get_by_role("alert")).to_contain_text("not valid")
        asker.check("reset password, bad link")
