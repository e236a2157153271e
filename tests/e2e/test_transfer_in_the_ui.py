"""A transfer asked for through Medusa v2's API is a claim like any other in the shop's pages."""

import json
import urllib.request

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import PASSWORD, email, place_guest_order


def post_json(url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=15) as response:
        return json.load(response)


def test_a_v2_transfer_request_is_pending_on_my_orders_and_confirmed_on_verify(new_shopper, app_server):
    guest_email = email("guest")
    order_id = place_guest_order(app_server.base_url, guest_email)
    shopper = new_shopper()
    shopper.account_email = email("ada")
    shopper.register(shopper.account_email)
    # The same customer, from a js-sdk storefront: a bearer token, then the transfer request.
    token = post_json(app_server.url("/auth/customer/emailpass"),
                      {"email": shopper.account_email, "password": PASSWORD})["token"]
    post_json(app_server.url(f"/store/orders/{order_id}/transfer/request"), {}, token)

    shopper.go(routes.ACCOUNT)
    expect(shopper.page.get_by_test_id("claim-row").filter(has_text=order_id)).to_be_visible()
    expect(shopper.page.get_by_text("No orders yet")).to_be_visible()
    shopper.open_claim_link_from_outbox(guest_email)
    shopper.page.get_by_role("button", name="Confirm claim").click()
    expect(shopper.page.get_by_role("status")).to_contain_text(order_id)
    shopper.expect_in_my_orders(order_id)
    expect(shopper.page.get_by_test_id("claim-row")).to_have_count(0)
