"""Product pages and the Size choice, the checkout's summary and names, and the confirmation's receipt."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import email


def card(shopper, product: str):
    return shopper.page.get_by_test_id("product-card").filter(
        has=shopper.page.get_by_role("heading", name=product))


def test_a_cards_heading_opens_the_product_page_with_picture_size_and_quantity(shopper):
    shopper.go(routes.HOME)
    card(shopper, "Classic T-Shirt").get_by_role("link", name="Classic T-Shirt").click()
    expect(shopper.page).to_have_url(re.compile(r"/products/classic-tee/?$"))
    main = shopper.page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Classic T-Shirt")
    expect(main.get_by_role("img", name=re.compile("T-shirt"))).to_be_visible()  # a real description as alt
    expect(main).to_contain_text("Soft organic cotton")
    expect(main).to_contain_text("€19.00")
    sizes = main.get_by_role("radiogroup", name="Size")
    expect(sizes.get_by_role("radio")).to_have_count(3)
    expect(sizes.get_by_role("radio", name="S")).to_be_checked()
    sizes.get_by_role("radio", name="L").click()
    main.get_by_label("Quantity").select_option("2")
    main.get_by_role("button", name="Add to cart").click()
    expect(shopper.page.get_by_role("link", name=re.compile(r"^Cart"))).to_have_text("Cart (2)")
    shopper.go(routes.CART)
    line = shopper.page.get_by_role("row").filter(has_text="Classic T-Shirt")
    expect(line).to_contain_text("Classic T-Shirt, size L")
    expect(line.get_by_label("Quantity of Classic T-Shirt")).to_have_value("2")


def test_a_card_adds_the_size_it_shows_selected(shopper):
    shopper.go(routes.HOME)
    hoodie = card(shopper, "Zip Hoodie")
    expect(hoodie.get_by_role("radiogroup", name="Size").get_by_role("radio", name="M")).to_be_checked()
    hoodie.get_by_role("radio", name="L").click()
    hoodie.get_by_role("button", name="Add to cart").click()
    expect(shopper.page.get_by_text("Zip Hoodie, size L, was added to your cart.")).to_be_visible()
    socks = card(shopper, "Wool Socks")
    socks.get_by_role("button", name="Add to cart").click()  # the first size, as the card shows it
    expect(shopper.page.get_by_role("link", name=re.compile(r"^Cart"))).to_have_text("Cart (2)")
    shopper.go(routes.CART)
    expect(shopper.page.get_by_role("row").filter(has_text="Zip Hoodie")).to_contain_text("Zip Hoodie, size L")
    expect(shopper.page.get_by_role("row").filter(has_text="Wool Socks")).to_contain_text("Wool Socks, size 36-40")


def test_a_product_with_one_variant_asks_no_size(shopper):
    shopper.go(routes.HOME)
    expect(card(shopper, "Canvas Cap").get_by_role("radiogroup")).to_have_count(0)
    shopper.go(routes.product_path("cap"))
    expect(shopper.page.get_by_role("heading", level=1)).to_have_text("Canvas Cap")
    expect(shopper.page.get_by_role("radiogroup")).to_have_count(0)
    shopper.page.get_by_role("button", name="Add to cart").click()
    expect(shopper.page.get_by_role("link", name=re.compile(r"^Cart"))).to_have_text("Cart (1)")
    shopper.go(routes.CART)
    expect(shopper.page.get_by_role("row").filter(has_text="Canvas Cap")).not_to_contain_text("size", ignore_case=True)


def test_an_unknown_product_says_so(shopper):
    shopper.go(routes.product_path("no-such-thing"))
    expect(shopper.page.get_by_role("heading", level=1)).to_have_text("Product not found")
    expect(shopper.page.get_by_role("alert")).to_contain_text("could not find that product")


def test_checkout_shows_the_summary_takes_one_name_and_confirms_everything(shopper, app_server):
    guest_email = email("guest")
    shopper.add_to_cart("Zip Hoodie")
    shopper.fill_checkout(email_address=guest_email, full_name="Cher")
    summary = shopper.page.get_by_role("heading", name="Order summary").locator("..")
    expect(summary).to_contain_text("Zip Hoodie, size M")
    expect(summary).to_contain_text("Quantity 1")
    expect(summary).to_contain_text("Subtotal€54.00")
    expect(summary).to_contain_text("ShippingFree")
    expect(summary).to_contain_text("Total€54.00")
    shopper.page.get_by_role("button", name="Place order").click()

    order_id = shopper.page.get_by_test_id("order-id")
    expect(order_id).to_have_text(re.compile(r"^order_[0-9A-Z]{26}$"))
    main = shopper.page.get_by_role("main")
    expect(shopper.page.get_by_role("status")).to_contain_text(guest_email)
    expect(main).to_contain_text("Zip Hoodie, size M")  # the cart's, the summary's and the email's wording
    expect(main).to_contain_text("Quantity 1")
    address = re.compile(r"Cher\s*1 Harbour Street\s*22201 Arlington\s*United States")
    expect(main.locator("address")).to_have_text(address)
    expect(main).to_contain_text("claim this order")
    shopper.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    shopper.page.get_by_role("button", name="Copy").click()
    expect(main).to_contain_text("Copied.")
    assert shopper.page.evaluate("navigator.clipboard.readText()") == order_id.inner_text()
    [mail] = app_server.wait_for_mail(guest_email, order_id.inner_text())
    assert "Hi Cher," in mail["text"]
    assert "Zip Hoodie, size M" in mail["text"] and "Zip Hoodie, size M" in mail["html"]


def test_a_logged_in_customer_finds_name_and_email_filled_in(shopper):
    account = email("ada")
    shopper.register(account, first="Ada", last="Lovelace")
    shopper.add_to_cart("Sweatpants")
    shopper.go(routes.CHECKOUT)
    expect(shopper.page.get_by_label("Email", exact=True)).to_have_value(account)
    expect(shopper.page.get_by_label("Full name")).to_have_value("Ada Lovelace")


def test_an_add_sends_back_the_count_and_totals_not_every_line_and_the_cart_still_lists_them_all(shopper):
    received: list[str] = []
    shopper.page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(str(frame))))
    shopper.go(routes.HOME)
    for count, product in enumerate(["Classic T-Shirt", "Canvas Cap", "Wool Socks", "Zip Hoodie"], start=1):
        before = len(received)
        card(shopper, product).get_by_role("button", name="Add to cart").click()
        expect(shopper.page.get_by_role("link", name=re.compile(r"^Cart"))).to_have_text(f"Cart ({count})")
        reply = "".join(received[before:])
        if count > 1:  # the first add's frames may still hold the page's hydrate, which does list the lines
            assert "item_count" in reply and "lines_rx_state_" not in reply  # a fuller cart costs an add no more
    shopper.page.get_by_role("link", name=re.compile(r"^Cart")).click()  # in-app navigation: no page load
    expect(shopper.page).to_have_url(re.compile(r"/cart/?$"))
    for product in ["Classic T-Shirt", "Canvas Cap", "Wool Socks", "Zip Hoodie"]:
        expect(shopper.page.get_by_role("row").filter(has_text=product)).to_be_visible()
