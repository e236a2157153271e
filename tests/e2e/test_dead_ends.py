"""Every dead end has a way out: password reset, honest limits, decline wherever the link lands,
context on the login page, one order identifier, and Send again."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import PASSWORD, email, place_guest_order
from tests.e2e.test_claim_links import claimed_order

NEW_PASSWORD = "a brand new passphrase"


def latest_link(app_server, to: str, subject_has: str, path: str) -> str:
    (mail, *_) = app_server.wait_for_mail(to, subject_has)
    return next(link for link in mail["links"] if urlsplit(link).path.rstrip("/") == path)


def test_a_forgotten_password_is_reset_from_the_login_page_and_logs_in(new_shopper, app_server):
    account = email("ada")
    other_device = new_shopper()
    other_device.register(account)
    shopper = new_shopper()
    shopper.go(routes.LOGIN)
    shopper.page.get_by_role("link", name="Forgot password?").click()
    expect(shopper.page).to_have_url(re.compile(r"/forgot-password/?$"))
    answers = []
    for address in (email("nobody"), account):  # the same answer whether or not the account exists
        shopper.page.get_by_label("Email", exact=True).fill(address)
        shopper.page.get_by_role("button", name="Send reset link").click()
        expect(shopper.page.get_by_role("status")).to_contain_text(address)
        answers.append(shopper.page.get_by_role("status").inner_text().replace(address, "…"))
    assert answers[0] == answers[1]
    link = latest_link(app_server, account, "Reset your Storefront password", routes.RESET_PASSWORD)

    shopper.page.goto(link)
    expect(shopper.page.get_by_role("main")).to_contain_text(account)
    shopper.page.goto(link)  # a mail scanner and a reload change nothing: the old password still works
    login = shopper.page.request.post(app_server.url("/store/auth"), data={"email": account, "password": PASSWORD})
    assert login.status == 200
    shopper.page.context.clear_cookies()
    shopper.page.goto(link)
    shopper.page.get_by_label("New password").fill(NEW_PASSWORD)
    shopper.page.get_by_role("button", name="Set new password").click()
    expect(shopper.page).to_have_url(re.compile(r"/account/?$"))  # logged in with the new password
    expect(shopper.page.get_by_role("heading", name="My orders")).to_be_visible()

    assert other_device.page.request.get(app_server.url("/store/auth")).status == 401  # every other session ended
    other_device.go(routes.LOGIN)
    other_device.login(account, NEW_PASSWORD)
    expect(other_device.page).to_have_url(re.compile(r"/account/?$"))
    shopper.page.goto(link)  # the link worked once
    expect(shopper.page.get_by_role("alert")).to_contain_text("already been used")
    expect(shopper.page.get_by_role("link", name="Ask for a new link")).to_be_visible()


def test_a_bad_reset_link_says_so_at_once(shopper):
    shopper.go(routes.with_query(routes.RESET_PASSWORD, token="not-a-real-token"))
    expect(shopper.page.get_by_role("alert")).to_contain_text("not valid")
    expect(shopper.page.get_by_label("New password")).to_have_count(0)


def test_past_the_claim_limit_the_page_says_so_and_until_when(new_shopper, app_server):
    shopper = new_shopper()
    order_id = place_guest_order(shopper.base_url, email("guest"))
    shopper.register(email("ada"))
    for _ in range(5):
        shopper.claim(order_id)
        expect(shopper.page.get_by_role("status")).to_contain_text("on its way")
    shopper.claim(order_id)
    expect(shopper.page.get_by_role("alert")).to_contain_text(
        re.compile(r"You have asked for 5 links in the last hour; you can ask again after \d\d:\d\d UTC"))
    expect(shopper.page.get_by_role("status")).to_have_count(0)  # no "we have emailed you" when nothing went


def test_the_order_emails_owner_can_decline_from_every_view(new_shopper, app_server):
    asker, order_id, guest_email = claimed_order(new_shopper)
    url = asker.open_claim_link_from_outbox(guest_email)
    token = parse_qs(urlsplit(url).query)["token"][0]

    owner = new_shopper()  # logged out, as the order email's owner most likely is
    owner.page.goto(url)
    expect(owner.page.get_by_role("main")).to_contain_text(asker.account_email)
    expect(owner.page.get_by_role("link", name="Not me: decline this claim")).to_be_visible()

    owner.register(email("owner"))  # logged in to their own account
    owner.page.goto(url)
    expect(owner.page.get_by_role("alert")).to_contain_text("asked for by another account")
    expect(owner.page.get_by_role("main")).to_contain_text(asker.account_email)  # who asked, to tell if it was them
    owner.page.get_by_role("link", name="Not me: decline this claim").click()
    expect(owner.page).to_have_url(re.compile(rf"/decline/?\?token={re.escape(token)}"))
    owner.page.get_by_role("button", name="Decline claim").click()
    expect(owner.page.get_by_role("status")).to_contain_text("declined")

    asker.page.goto(url)
    expect(asker.page.get_by_role("alert")).to_contain_text("declined")


def test_login_from_a_claim_link_says_which_account_should_log_in(new_shopper):
    asker, order_id, guest_email = claimed_order(new_shopper)
    url = asker.open_claim_link_from_outbox(guest_email)
    visitor = new_shopper()
    visitor.page.goto(url)
    visitor.page.get_by_role("link", name="Log in to confirm").click()
    sentence = visitor.page.get_by_text("Log in as the account that asked for this claim to confirm it.")
    expect(sentence).to_be_visible()
    expect(visitor.page.get_by_role("main")).not_to_contain_text(asker.account_email)  # no email shown
    visitor.go(routes.LOGIN)
    expect(sentence).to_have_count(0)  # a plain login page says nothing of claims


def test_my_orders_shows_the_order_id_as_the_one_identifier(shopper):
    shopper.register(email("ada"))
    shopper.add_to_cart("Sweatpants")
    shopper.fill_checkout()
    shopper.page.get_by_role("button", name="Place order").click()
    order_id = shopper.page.get_by_test_id("order-id").inner_text()
    shopper.expect_in_my_orders(order_id)
    row = shopper.page.get_by_test_id("order-row").filter(has_text=order_id)
    expect(row).not_to_contain_text(re.compile(r"#\d"))
    expect(row.get_by_role("button", name="Copy order ID")).to_be_visible()


def test_send_again_mails_a_fresh_link_and_the_old_one_stops_working(new_shopper, app_server):
    asker, order_id, guest_email = claimed_order(new_shopper)
    old = latest_link(app_server, guest_email, "Confirm your order claim", routes.VERIFY)
    asker.go(routes.ACCOUNT)
    asker.page.get_by_test_id("claim-row").get_by_role("button", name="Send again").click()
    expect(asker.page.get_by_role("status")).to_contain_text(f"A new link is on its way to {guest_email}")
    mails = app_server.wait_for_mail(guest_email, "Confirm your order claim", count=2)
    assert len(mails) == 2
    asker.page.goto(old)
    expect(asker.page.get_by_role("alert")).to_contain_text("A newer link was sent on")
    expect(asker.page.get_by_role("alert")).to_contain_text(guest_email)
    asker.page.goto(latest_link(app_server, guest_email, "Confirm your order claim", routes.VERIFY))
    asker.page.get_by_role("button", name="Confirm claim").click()
    expect(asker.page.get_by_role("status")).to_contain_text(order_id)
