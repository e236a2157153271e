"""Claim links that cannot be used, other accounts, logged-out visitors, declines, several orders."""

import re
import sqlite3
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import email, place_guest_order


def claimed_order(new_shopper):
    """A guest order and a logged-in account that asked to claim it; returns (shopper, order_id, guest_email)."""
    guest_email = email("guest")
    shopper = new_shopper()
    order_id = place_guest_order(shopper.base_url, guest_email)
    shopper.account_email = email("ada")
    shopper.sign_up(shopper.account_email)
    shopper.claim(order_id)
    expect(shopper.page.get_by_role("status")).to_contain_text("confirmation link is on its way")
    return shopper, order_id, guest_email


def test_several_ids_at_once_two_emails_two_messages(new_shopper, app_server):
    first_email, second_email = email("one"), email("two")
    shopper = new_shopper()
    a = place_guest_order(shopper.base_url, first_email, "Canvas Cap")
    b = place_guest_order(shopper.base_url, first_email, "Enamel Mug")
    c = place_guest_order(shopper.base_url, second_email, "Tote Bag")
    shopper.sign_up(email("ada"))
    shopper.claim(a, b, c, separator=", ")
    expect(shopper.page.get_by_role("status")).to_contain_text("confirmation link is on its way")
    first = app_server.wait_for_mail(first_email, "Confirm your order claim")
    second = app_server.wait_for_mail(second_email, "Confirm your order claim")
    assert len(first) == 1 and len(second) == 1
    assert a in first[0]["text"] and b in first[0]["text"] and c not in first[0]["text"]
    assert c in second[0]["text"]

    shopper.open_claim_link_from_outbox(first_email)
    shopper.page.get_by_role("button", name="Confirm claim").click()
    expect(shopper.page.get_by_role("status")).to_contain_text("2 orders joined your account")
    shopper.open_claim_link_from_outbox(second_email)
    shopper.page.get_by_role("button", name="Confirm claim").click()
    expect(shopper.page.get_by_role("status")).to_contain_text(c)
    shopper.expect_in_my_orders(a, b, c)
    assert sorted(shopper.api_order_ids()) == sorted([a, b, c])


def test_replayed_link_says_it_was_used(new_shopper):
    shopper, order_id, guest_email = claimed_order(new_shopper)
    url = shopper.open_claim_link_from_outbox(guest_email)
    shopper.page.get_by_role("button", name="Confirm claim").click()
    expect(shopper.page.get_by_role("status")).to_contain_text(order_id)
    shopper.page.goto(url)
    expect(shopper.page.get_by_role("alert")).to_contain_text("already used")
    expect(shopper.page.get_by_role("button", name="Confirm claim")).to_have_count(0)


def test_tampered_link_is_invalid(new_shopper):
    shopper, _, guest_email = claimed_order(new_shopper)
    url = shopper.open_claim_link_from_outbox(guest_email)
    shopper.page.goto(url[:-4] + ("AAAA" if not url.endswith("AAAA") else "BBBB"))
    expect(shopper.page.get_by_role("alert")).to_contain_text("not valid")
    expect(shopper.page.get_by_role("alert").get_by_role("link", name="Ask for a new link")).to_be_visible()
    shopper.page.goto(shopper.base_url + routes.VERIFY)
    expect(shopper.page.get_by_role("alert")).to_contain_text("not valid")


def test_expired_link_offers_a_new_one(new_shopper, app_server):
    shopper, _, guest_email = claimed_order(new_shopper)
    url = shopper.open_claim_link_from_outbox(guest_email)
    with sqlite3.connect(app_server.database_path) as db:  # two hours pass: the row's expires_at is the one clock
        db.execute("UPDATE claimrequest SET expires_at = datetime('now', '-1 hour') WHERE order_email = ?",
                   (guest_email,))
    shopper.page.goto(url)
    expect(shopper.page.get_by_role("alert")).to_contain_text("expired")
    shopper.page.get_by_role("link", name="Ask for a new link").click()
    expect(shopper.page).to_have_url(re.compile(r"/claim/?$"))


def test_another_customer_cannot_confirm_my_link(new_shopper):
    shopper, order_id, guest_email = claimed_order(new_shopper)
    url = shopper.open_claim_link_from_outbox(guest_email)
    stranger = new_shopper()
    stranger.register(email("eve"))
    stranger.page.goto(url)
    expect(stranger.page.get_by_role("alert")).to_contain_text("asked for by another account")
    expect(stranger.page.get_by_role("button", name="Confirm claim")).to_have_count(0)
    assert order_id not in stranger.api_order_ids()
    # On a shared computer: log out, log in as the customer who asked, and land back on the link.
    with stranger.page.expect_navigation(url=re.compile(r"/login/?\?next=")):
        stranger.page.get_by_role("button", name="Log out and switch account").click()
    stranger.login(shopper.account_email)
    expect(stranger.page).to_have_url(re.compile(r"/verify/?\?token="))
    stranger.page.get_by_role("button", name="Confirm claim").click()
    expect(stranger.page.get_by_role("status")).to_contain_text(order_id)


def test_logged_out_visitor_logs_in_and_comes_back(new_shopper):
    shopper, order_id, guest_email = claimed_order(new_shopper)
    url = shopper.open_claim_link_from_outbox(guest_email)
    shopper.logout()
    shopper.page.goto(url)
    expect(shopper.page.get_by_role("main")).to_contain_text(order_id)
    expect(shopper.page.get_by_role("button", name="Confirm claim")).to_have_count(0)
    shopper.page.get_by_role("link", name="Log in to confirm").click()
    expect(shopper.page).to_have_url(re.compile(r"/login/?\?next="))
    shopper.login(shopper.account_email)
    expect(shopper.page).to_have_url(re.compile(r"/verify/?\?token="))
    shopper.page.get_by_role("button", name="Confirm claim").click()
    expect(shopper.page.get_by_role("status")).to_contain_text(order_id)


def test_decline_from_the_email_tells_the_customer_who_asked(new_shopper, app_server):
    shopper, order_id, guest_email = claimed_order(new_shopper)
    url = shopper.open_claim_link_from_outbox(guest_email)
    owner = new_shopper()  # the order email's owner, not logged in anywhere
    decline = [m for m in app_server.outbox(guest_email) if "claim" in m["subject"]][0]["links"][1]
    assert "/decline/?token=" in decline  # the canonical URL: no redirect before the page
    owner.page.goto(decline)
    expect(owner.page.get_by_role("main")).to_contain_text(order_id)
    owner.page.get_by_role("button", name="Decline claim").click()
    expect(owner.page.get_by_role("status")).to_contain_text("declined")
    token = parse_qs(urlsplit(url).query)["token"][0]
    shopper.go(routes.with_query(routes.VERIFY, token=token))
    expect(shopper.page.get_by_role("alert")).to_contain_text("declined")
    told = [m for m in app_server.outbox() if "declined" in m["subject"]]
    assert any(order_id in m["text"] for m in told)


def test_verify_page_changes_nothing_on_load(new_shopper):
    shopper, order_id, guest_email = claimed_order(new_shopper)
    url = shopper.open_claim_link_from_outbox(guest_email)
    shopper.page.goto(url)
    shopper.page.goto(url)  # a mail scanner and a reload: still pending
    expect(shopper.page.get_by_role("button", name="Confirm claim")).to_be_visible()
    assert order_id not in shopper.api_order_ids()


def test_claim_pages_never_send_their_url_to_another_site(shopper, app_server):
    response = shopper.page.goto(app_server.url(routes.with_query(routes.VERIFY, token="x")))
    assert response.headers.get("referrer-policy") == "same-origin"
    assert shopper.page.locator('meta[name="referrer"]').get_attribute("content") == "same-origin"
