"""One wording for a line's size, wherever a line is named (cart, checkout, confirmation, email, API)."""

from __future__ import annotations

from storefront.services import carts, catalog, checkout, outbox
from storefront.services.wording import line_title


def test_a_line_with_a_size_names_it_and_one_without_does_not():
    assert line_title("Classic T-Shirt", "S") == "Classic T-Shirt, size S"
    assert line_title("Canvas Cap", "") == "Canvas Cap"


def test_the_cart_the_order_and_its_email_name_a_line_the_same_way(session):
    catalog.seed_demo_catalog(session=session)
    tee = catalog.get_product(session=session, handle="classic-tee")
    cap = catalog.get_product(session=session, handle="cap")
    cart = carts.create_cart(session=session)
    carts.add_item(session=session, cart_id=cart.id, variant_id=tee.variants[0].id)
    view = carts.add_item(session=session, cart_id=cart.id, variant_id=cap.variants[0].id)
    assert [line.name for line in view.lines] == ["Classic T-Shirt, size S", "Canvas Cap"]
    order = checkout.place_order(session=session, cart_id=cart.id, email="grace@example.com",
                                 address=checkout.split_full_name("Grace Hopper") | {
                                     "address_1": "1 Harbour Street", "city": "Arlington", "postal_code": "22201",
                                     "country_code": "us"})
    assert [line.title for line in order.lines] == ["Classic T-Shirt, size S", "Canvas Cap"]
    [mail] = outbox.list_messages(session=session)  # rendered, as a reader sees it
    assert "Classic T-Shirt, size S" in mail.text and "Canvas Cap" in mail.text and "(S)" not in mail.text
    assert "One size" not in mail.text
