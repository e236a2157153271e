"""No flash of the wrong page: what depends on the session or on the page's own load waits for it, and no
state from an earlier visit is shown as current. A MutationObserver, installed before the page's scripts
run, records everything the page ever rendered, so a wrong frame fails the test even if it lasted 10 ms."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import email, place_guest_order

RECORDER = """
(() => {
  window.__seen = [];
  const note = () => { if (document.body) window.__seen.push(document.body.innerText); };
  new MutationObserver(note).observe(document, {subtree: true, childList: true, characterData: true});
})();
"""


def record(shopper) -> None:
    """Record every rendering of every page this shopper opens from now on."""
    shopper.page.add_init_script(RECORDER)


def seen(shopper) -> str:
    return "\n".join(shopper.page.evaluate("window.__seen"))


def test_a_logged_in_page_never_paints_log_in_or_register(shopper):
    shopper.register(email("ada"))
    record(shopper)
    shopper.go(routes.ACCOUNT)
    expect(shopper.page.get_by_role("link", name="Account")).to_be_visible()
    expect(shopper.page.get_by_role("heading", name="My orders")).to_be_visible()
    assert "Register" not in seen(shopper) and "Log in" not in seen(shopper)
    assert "No orders yet" in seen(shopper)


def test_a_logged_out_visitor_to_claim_never_sees_the_form(shopper):
    record(shopper)
    shopper.go(routes.CLAIM)
    expect(shopper.page).to_have_url(re.compile(r"/login/?\?next=%2Fclaim"))
    expect(shopper.page.get_by_role("button", name="Log in")).to_be_visible()
    assert "Order IDs" not in seen(shopper) and "Claim orders" not in seen(shopper)


def test_verify_never_shows_the_previous_links_outcome(new_shopper, app_server):
    guest_email, other_email = email("guest"), email("guest")
    first = place_guest_order(app_server.base_url, guest_email)
    second = place_guest_order(app_server.base_url, other_email, "Tote Bag")
    shopper = new_shopper()
    shopper.sign_up(email("ada"))
    shopper.claim(first, second)
    expect(shopper.page.get_by_role("status")).to_contain_text("confirmation link is on its way")
    shopper.open_claim_link_from_outbox(guest_email)
    shopper.page.get_by_role("button", name="Confirm claim").click()
    expect(shopper.page.get_by_role("status")).to_contain_text(f"joined your account: {first}")
    # Back to the outbox and on to the second link, all client-side: the page state outlives the visit.
    shopper.page.get_by_role("link", name="Mail outbox").click()
    expect(shopper.page.get_by_role("heading", name="Mail outbox")).to_be_visible()
    shopper.page.evaluate(RECORDER)  # from here on, without a page load
    shopper.search_outbox(other_email)
    expect(shopper.page.get_by_test_id("outbox-row").filter(has_text="Confirm your order claim")).to_have_count(1)
    shopper.page.get_by_test_id("outbox-row").filter(has_text="Confirm your order claim").get_by_role("button").click()
    shopper.page.get_by_test_id("message-links").get_by_role("link", name=re.compile(r"verify\/?\?token=")).click()
    expect(shopper.page.get_by_role("button", name="Confirm claim")).to_be_visible()
    expect(shopper.page.get_by_role("main")).to_contain_text(second)
    assert "joined your account" not in seen(shopper)


def test_the_first_paint_of_a_page_that_loads_its_own_data_is_a_neutral_placeholder(app_server):
    import urllib.request

    # The catalog and the product pages carry their products from the build instead (test_content_in_the_html.py).
    for path in (routes.ACCOUNT, routes.CART, routes.with_query(routes.VERIFY, token="x")):
        with urllib.request.urlopen(app_server.url(path), timeout=10) as answer:
            html = answer.read().decode()
        assert 'aria-busy="true"' in html, path
        for guess in ("Log in", "Register", "Your cart is empty", "No orders yet", "Order IDs"):
            assert f">{guess}<" not in html, (path, guess)


def test_a_product_page_never_shows_the_cart_notice_of_another_visit(shopper):
    shopper.add_to_cart("Classic T-Shirt")
    expect(shopper.page.get_by_role("status")).to_contain_text("was added to your cart")
    record(shopper)
    shopper.page.evaluate(RECORDER)  # from here on, without a page load: state from the catalog's visit remains
    card = shopper.page.get_by_test_id("product-card").filter(has=shopper.page.get_by_role("heading",
                                                                                           name="Classic T-Shirt"))
    card.get_by_role("link", name="Classic T-Shirt").click()
    expect(shopper.page.get_by_role("heading", level=1)).to_have_text("Classic T-Shirt")
    expect(shopper.page.get_by_role("button", name="Add to cart")).to_be_enabled()
    product_page = [text for text in shopper.page.evaluate("window.__seen") if "Quantity" in text]  # not a card's
    assert product_page and not [text for text in product_page if "was added to your cart" in text]
