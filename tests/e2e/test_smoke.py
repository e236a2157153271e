"""The production build serves the catalog in a real Chromium."""

from playwright.sync_api import expect

from storefront import routes


def test_home_page_lists_products_with_prices_and_add_buttons(shopper):
    shopper.go(routes.HOME)
    cards = shopper.page.get_by_test_id("product-card")
    expect(cards.first).to_be_visible()
    assert 6 <= cards.count() <= 10
    first = cards.first
    expect(first.get_by_role("heading")).to_have_text("Classic T-Shirt")
    expect(first).to_contain_text("€19.00")
    expect(first.get_by_role("button", name="Add to cart")).to_be_enabled()
    expect(cards.locator("img")).to_have_count(cards.count())  # a picture on every card
    shopper.wait_for_images()


def test_unknown_page_is_a_friendly_404(shopper):
    shopper.go("/no-such-page")
    expect(shopper.page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(shopper.page.get_by_role("link", name="Back to the shop")).to_be_visible()
