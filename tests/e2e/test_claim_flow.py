"""The claim flow end to end, as a shopper does it in Chromium."""

import re

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import email


def test_whole_flow_guest_order_claimed_into_an_account(new_shopper, app_server):
    guest_email, account_email = email("guest"), email("ada")
    shopper = new_shopper()
    shopper.go(routes.HOME)
    expect(shopper.page.get_by_test_id("product-card")).not_to_have_count(0)
    shopper.shot("01-catalog")
    shopper.add_to_cart("Zip Hoodie")
    shopper.fill_checkout(email_address=guest_email)
    shopper.shot("02-checkout")
    shopper.page.get_by_role("button", name="Place order").click()
    order_id = shopper.page.get_by_test_id("order-id")
    expect(order_id).to_have_text(re.compile(r"^order_[0-9A-Z]{26}$"))
    expect(shopper.page.get_by_role("status")).to_contain_text(guest_email)
    shopper.shot("03-order-confirmed")
    order = order_id.inner_text()
    assert app_server.wait_for_mail(guest_email, order)  # the confirmation email

    shopper.register(account_email)
    expect(shopper.page.get_by_text("No orders yet")).to_be_visible()
    shopper.shot("04-account-empty")
    shopper.page.get_by_role("link", name="Claim an order").click()
    expect(shopper.page).to_have_url(re.compile(r"/claim/?$"))
    shopper.page.get_by_label("Order IDs").fill(order)
    shopper.page.get_by_role("button", name="Claim orders").click()
    expect(shopper.page.get_by_role("status")).to_contain_text("confirmation link is on its way")
    shopper.shot("05-claim-sent")

    shopper.go(routes.OUTBOX)
    shopper.search_outbox(guest_email)
    shopper.page.get_by_test_id("outbox-row").filter(has_text=guest_email).filter(
        has_text="Confirm your order claim").get_by_role("button").click()
    expect(shopper.page.get_by_test_id("outbox-message")).to_contain_text(order)
    shopper.shot("06-outbox-message")
    shopper.page.get_by_test_id("message-links").get_by_role("link", name=re.compile(r"verify\/?\?token=")).click()

    expect(shopper.page.get_by_role("button", name="Confirm claim")).to_be_visible()
    expect(shopper.page.get_by_role("main")).to_contain_text(guest_email)
    expect(shopper.page.get_by_role("main")).to_contain_text(account_email)
    expect(shopper.page.get_by_role("main")).to_contain_text(order)
    shopper.shot("07-verify")
    shopper.page.get_by_role("button", name="Confirm claim").click()
    expect(shopper.page.get_by_role("status")).to_contain_text(f"joined your account: {order}")
    shopper.shot("08-claim-confirmed")

    shopper.expect_in_my_orders(order)
    expect(shopper.page.get_by_test_id("order-row")).to_have_count(1)
    shopper.shot("09-my-orders")
    assert shopper.api_order_ids() == [order]  # the REST API sees what the UI shows
