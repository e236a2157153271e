"""add_to_cart: the add the shop's pages make answers the same count and totals as the whole cart would, on SQLite
and PostgreSQL, and refuses what add_item refuses."""

import pytest
from sqlmodel import Session

from storefront.services import carts, catalog
from storefront.services.errors import CartNotUsable, InvalidInput, NotFound


@pytest.fixture
def shop(any_engine):
    with Session(any_engine, expire_on_commit=False) as session:
        catalog.seed_demo_catalog(session=session)
        products = catalog.list_products(session=session)[0]
        yield session, [v for p in products for v in p.variants]


def test_each_add_answers_what_the_whole_cart_says(shop):
    session, variants = shop
    assert len(variants) == 12
    cart = carts.create_cart(session=session)
    for n, variant in enumerate(variants * 2):
        added = carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variant.id, quantity=1 + n % 3)
        whole = carts.get_cart(session=session, cart_id=cart.id)
        assert (added.item_count, added.subtotal, added.shipping_total, added.total, added.lines) == (
            whole.item_count, whole.subtotal, whole.shipping_total, whole.total, len(whole.lines))
        line = next(line for line in whole.lines if line.variant_id == variant.id)
        assert (added.title, added.size) == (line.title, line.size)
    assert added.lines == 12 and added.shipping_total == 0  # free shipping by now


def test_the_first_add_of_a_cheap_item_pays_shipping(shop):
    session, variants = shop
    cheapest = min(variants, key=lambda v: v.price)
    added = carts.add_to_cart(session=session, cart_id=carts.create_cart(session=session).id, variant_id=cheapest.id)
    assert added.subtotal == cheapest.price and added.shipping_total == carts.SHIPPING_PRICE
    assert added.total == cheapest.price + carts.SHIPPING_PRICE


def test_a_line_stops_at_the_most_one_can_buy(shop):
    session, variants = shop
    cart = carts.create_cart(session=session)
    carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variants[0].id, quantity=carts.MAX_QUANTITY)
    added = carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variants[0].id, quantity=5)
    assert added.item_count == carts.MAX_QUANTITY and added.lines == 1


@pytest.mark.parametrize("variant_id", ["variant_nope", "", "x" * 10_000, "variant_\x00", None, 7])
def test_an_unknown_or_malformed_variant_is_not_found_and_adds_nothing(shop, variant_id):
    session, _ = shop
    cart = carts.create_cart(session=session)
    with pytest.raises(NotFound):
        carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variant_id)
    assert carts.get_cart(session=session, cart_id=cart.id).lines == []


@pytest.mark.parametrize("quantity", [0, -1, 100, 1.5, "2", True])
def test_bad_quantities_are_refused(shop, quantity):
    session, variants = shop
    with pytest.raises(InvalidInput):
        carts.add_to_cart(session=session, cart_id=carts.create_cart(session=session).id,
                          variant_id=variants[0].id, quantity=quantity)


def test_an_unknown_or_completed_cart_is_refused(shop):
    session, variants = shop
    with pytest.raises(NotFound):
        carts.add_to_cart(session=session, cart_id="cart_nope", variant_id=variants[0].id)
    cart = carts.create_cart(session=session)
    carts.take_for_order(session=session, cart_id=cart.id, order_id="order_x")
    with pytest.raises(CartNotUsable):
        carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variants[0].id)
