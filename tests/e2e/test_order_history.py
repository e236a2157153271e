"""A claim's whole life in the browser, at a phone's and a laptop's width: the order email's owner declines from
/decline (and opening it again is no error), the customer asks again and confirms, and the order's own page tells
the whole story. Stale links say why they cannot be used. Every stop passes the audit of test_every_page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from storefront import routes
from tests.e2e.audit import DESKTOP, PHONE
from tests.e2e.conftest import email, place_guest_order, shoppers
from tests.e2e.test_dead_ends import latest_link
from tests.e2e.test_every_page import Walker

CLAIM_MAIL = "Confirm your order claim"


def newest_link(app_server, to: str, path: str, count: int) -> str:
    app_server.wait_for_mail(to, CLAIM_MAIL, count=count)
    return latest_link(app_server, to, CLAIM_MAIL, path)


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_order_claimed_after_a_declined_first_try_tells_its_whole_story(browser, app_server, width):
    with shoppers(browser, app_server.base_url, width=width) as make:
        buyer, asker, stranger = (Walker(make(), width) for _ in range(3))
        guest_email = email("guest")
        order_id = place_guest_order(app_server.base_url, guest_email)
        asker.shopper.sign_up(email("ada"), first="Ada", last="Lovelace")
        asker.shopper.claim(order_id)
        expect(asker.page.get_by_role("status")).to_contain_text("confirmation link is on its way")

        # The owner of the order's email did not ask: they decline, from the link, without logging in.
        owner = buyer.page
        owner.goto(newest_link(app_server, guest_email, routes.DECLINE, 1))
        expect(owner.get_by_role("button", name="Decline claim")).to_be_visible()
        expect(owner.get_by_test_id("order-event")).to_have_count(3)  # placed, asked, link sent
        expect(owner.get_by_role("main")).to_contain_text("Ada Lovelace")
        buyer.check("decline, with the requests so far")
        owner.get_by_role("button", name="Decline claim").click()
        expect(owner.get_by_role("status")).to_contain_text("You declined this request on")
        expect(owner.get_by_role("link", name="Back to the shop")).to_be_visible()
        owner.reload()  # opened again: a neutral answer for the person who declined, not an error
        expect(owner.get_by_role("status")).to_contain_text("You declined this request on")
        expect(owner.get_by_role("alert")).to_have_count(0)
        expect(owner.get_by_test_id("order-event")).to_have_count(4)
        buyer.check("decline, opened again")
        if width == DESKTOP:
            buyer.shopper.shot("11-decline-opened-again")

        # The declined link is dead for the asker too, and says why.
        asker.page.goto(newest_link(app_server, guest_email, routes.VERIFY, 1))
        expect(asker.page.get_by_role("alert")).to_contain_text("declined this claim on")
        asker.check("verify, declined")

        # Asked again, twice: the first of the two links now points to the newer one.
        asker.shopper.claim(order_id)
        stale = newest_link(app_server, guest_email, routes.VERIFY, 2)
        asker.shopper.claim(order_id)
        fresh = newest_link(app_server, guest_email, routes.VERIFY, 3)
        asker.page.goto(stale)
        expect(asker.page.get_by_role("alert")).to_contain_text("newer")
        expect(asker.page.get_by_role("alert")).to_contain_text(guest_email)
        asker.check("verify, replaced by a newer link")
        asker.shopper.go(routes.ACCOUNT)
        expect(asker.page.get_by_test_id("claim-row")).to_have_count(1)  # one open claim, not three

        asker.page.goto(fresh)
        asker.page.get_by_role("button", name="Confirm claim").click()
        expect(asker.page.get_by_role("status")).to_contain_text(f"1 order joined your account: {order_id}")
        asker.shopper.go(routes.ACCOUNT)
        expect(asker.page.get_by_test_id("claim-row")).to_have_count(0)
        asker.page.get_by_test_id("order-row").filter(has_text=order_id).get_by_role("link").first.click()

        page = asker.page
        expect(page).to_have_url(re.compile(f"/orders/{order_id}/?$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {order_id}")
        expect(page.get_by_test_id("order-line")).to_have_count(1)
        expect(page.get_by_test_id("order-line")).to_contain_text("Classic T-Shirt")
        story = page.get_by_test_id("order-event")
        expect(story).to_have_count(9)  # placed; asked, sent, declined; asked, sent; asked, sent; confirmed
        expect(story.first).to_contain_text("Placed as a guest with " + guest_email)
        expect(story.nth(3)).to_contain_text("declined the request from Ada Lovelace")
        expect(story.nth(4)).to_contain_text("asked to add this order")  # the second request, replaced
        expect(story.last).to_contain_text("confirmed the claim")
        for row in story.all():
            expect(row.locator("time")).to_have_text(re.compile(r"\d{4}, \d\d:\d\d UTC"))
        asker.check("order page with its history")
        if width == DESKTOP:
            asker.shopper.shot("10-order-history")

        # The order page is its owner's only: someone else's order reads exactly like one that does not exist.
        stranger.shopper.register(email("eve"))
        stranger.shopper.go(routes.order_path(order_id))
        expect(stranger.page.get_by_role("alert")).to_contain_text("We could not find that order in your account.")
        stranger.check("order page, not yours")
        stranger.shopper.go(routes.order_path("order_01JABCDEFGHJKMNPQRSTVWXYZ0"))
        expect(stranger.page.get_by_role("alert")).to_contain_text("We could not find that order in your account.")


def test_the_loser_of_two_claims_is_told_it_joined_another_account(new_shopper, app_server):
    guest_email = email("guest")
    order_id = place_guest_order(app_server.base_url, guest_email)
    ada, bob = new_shopper(), new_shopper()
    ada.sign_up(email("ada"))
    ada.claim(order_id)
    ada_link = newest_link(app_server, guest_email, routes.VERIFY, 1)
    bob.sign_up(email("bob"))
    bob.claim(order_id)
    bob.page.goto(newest_link(app_server, guest_email, routes.VERIFY, 2))
    bob.page.get_by_role("button", name="Confirm claim").click()
    expect(bob.page.get_by_role("status")).to_contain_text(order_id)

    ada.page.goto(ada_link)
    expect(ada.page.get_by_role("alert")).to_contain_text("joined another account")
    expect(ada.page.get_by_role("button", name="Confirm claim")).to_have_count(0)
    ada.go(routes.ACCOUNT)
    expect(ada.page.get_by_role("heading", name="My orders")).to_be_visible()
    expect(ada.page.get_by_test_id("claim-row")).to_have_count(0)


def test_a_cancelled_claims_link_says_so_and_offers_a_new_one(new_shopper, app_server):
    guest_email = email("guest")
    order_id = place_guest_order(app_server.base_url, guest_email)
    ada = new_shopper()
    ada.sign_up(email("ada"))
    ada.claim(order_id)
    link = newest_link(app_server, guest_email, routes.VERIFY, 1)
    ada.go(routes.ACCOUNT)
    ada.page.get_by_test_id("claim-row").get_by_role("button", name="Cancel claim").click()
    expect(ada.page.get_by_role("status")).to_contain_text("cancelled")
    expect(ada.page.get_by_test_id("claim-row")).to_have_count(0)
    ada.page.goto(link)
    expect(ada.page.get_by_role("alert")).to_contain_text("This claim was cancelled on")
    expect(ada.page.get_by_role("link", name="Ask for a new link")).to_be_visible()
