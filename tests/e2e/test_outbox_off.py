"""A shop that is not local has no outbox unless forced: no viewer, no API, and it still sells and mails.

127.0.0.2 is this machine, but not one of the names (localhost, 127.0.0.1, [::1]) that turn the outbox on.
"""

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from bench.app_process import kept_build_folder, start_app
from storefront import routes
from tests.e2e.conftest import email, shoppers


@pytest.fixture(scope="module")
def shop_without_outbox(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("no-outbox")
    with start_app(workdir, host="127.0.0.2", OUTBOX_ENABLED=None, web_dir=kept_build_folder("no-outbox")) as app:
        yield app


@pytest.fixture
def customer(browser, shop_without_outbox):
    with shoppers(browser, shop_without_outbox.base_url) as make:
        yield make()


def test_outbox_viewer_and_api_are_gone_but_the_claim_flow_still_mails(customer, shop_without_outbox):
    customer.go(routes.OUTBOX)
    expect(customer.page.get_by_role("alert")).to_contain_text("The outbox is turned off")
    expect(customer.page.get_by_role("button", name="Clear outbox")).to_have_count(0)
    expect(customer.page.get_by_role("link", name="Mail outbox")).to_have_count(0)
    with urllib.request.urlopen(shop_without_outbox.url(routes.HOME), timeout=10) as first_paint:
        assert "Mail outbox" not in first_paint.read().decode()  # not even before the page's state arrives
    for method in ("GET", "DELETE"):
        request = urllib.request.Request(shop_without_outbox.url(routes.OUTBOX_API), method=method)
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request, timeout=10)
        assert answer.value.code == 404

    order_id = customer.guest_checkout(email("guest"))
    customer.register(email("ada"))
    expect(customer.page.get_by_role("link", name="Mail outbox")).to_have_count(0)
    customer.claim(order_id)
    expect(customer.page.get_by_role("status")).to_contain_text("confirmation link is on its way")
    customer.go(routes.ACCOUNT)
    expect(customer.page.get_by_test_id("order-row")).to_have_count(0)
    expect(customer.page.get_by_test_id("claim-row")).to_contain_text(order_id)  # the link went out by mail
