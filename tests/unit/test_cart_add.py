"""add_to_cart: the add the shop's pages make answers the same count and totals as the whole cart would, on SQLite
and PostgreSQL, and refuses what add_item refuses."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event
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


def test_a_size_added_again_is_one_line_with_both_quantities(shop):
    session, variants = shop
    cart = carts.create_cart(session=session)
    carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variants[3].id, quantity=2)
    added = carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variants[3].id, quantity=3)
    lines = carts.get_cart(session=session, cart_id=cart.id).lines
    assert [(line.variant_id, line.quantity) for line in lines] == [(variants[3].id, 5)]
    assert (added.lines, added.item_count, added.subtotal) == (1, 5, 5 * variants[3].price)


def test_every_size_makes_its_own_line_and_the_totals_add_up_from_the_prices(shop):
    session, variants = shop
    cart = carts.create_cart(session=session)
    for n, variant in enumerate(variants):
        added = carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variant.id, quantity=n + 1)
    assert added.lines == len(variants) == 12
    assert added.item_count == sum(range(1, 13))
    assert added.subtotal == sum(v.price * (n + 1) for n, v in enumerate(variants))
    lines = carts.get_cart(session=session, cart_id=cart.id).lines
    assert {line.variant_id: line.quantity for line in lines} == {v.id: n + 1 for n, v in enumerate(variants)}


def test_a_completed_cart_keeps_its_lines_as_they_were(shop):
    session, variants = shop
    cart = carts.create_cart(session=session)
    carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variants[0].id, quantity=2)
    carts.take_for_order(session=session, cart_id=cart.id, order_id="order_x")
    for variant in variants[:2]:  # a line it has, and one it has not
        with pytest.raises(CartNotUsable):
            carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variant.id)
    assert [(line.variant_id, line.quantity) for line in carts.get_cart(session=session, cart_id=cart.id).lines] == [
        (variants[0].id, 2)]


@pytest.mark.parametrize("cart_id", ["", "cart_" + "x" * 200, "cart_\x00", None, 7])
def test_a_malformed_cart_is_not_found(shop, cart_id):
    session, variants = shop
    with pytest.raises(NotFound):
        carts.add_to_cart(session=session, cart_id=cart_id, variant_id=variants[0].id)


def test_an_add_costs_the_same_statements_at_twelve_lines_as_at_one(shop):
    """The add reads no line: a write and one summing read (one more write for a new line), whatever the size."""
    session, variants = shop
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.upper().startswith("BEGIN"):  # the transaction's own, not the add's
            statements.append(statement.split()[0].upper())

    def statements_of_add(cart_id: str, variant_id: str) -> list[str]:
        statements.clear()
        event.listen(session.get_bind(), "before_cursor_execute", count)
        try:
            carts.add_to_cart(session=session, cart_id=cart_id, variant_id=variant_id)
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", count)
        return list(statements)

    small, big = carts.create_cart(session=session), carts.create_cart(session=session)
    carts.add_to_cart(session=session, cart_id=small.id, variant_id=variants[0].id)
    for variant in variants:
        carts.add_to_cart(session=session, cart_id=big.id, variant_id=variant.id)
    session.commit()
    assert statements_of_add(small.id, variants[0].id) == statements_of_add(big.id, variants[0].id)
    assert statements_of_add(big.id, variants[5].id) == ["UPDATE", "SELECT"]
    assert statements_of_add(small.id, variants[5].id) == ["UPDATE", "INSERT", "SELECT"]


def _adds_at_once(engine, cart_id: str, adds: list[tuple[str, int]]) -> None:
    """Each add in its own thread and transaction, started together, as many browsers' adds arrive."""
    start = threading.Barrier(len(adds))

    def add(variant_id: str, quantity: int) -> None:
        with Session(engine) as session:
            start.wait(timeout=10)
            carts.add_to_cart(session=session, cart_id=cart_id, variant_id=variant_id, quantity=quantity)
            session.commit()

    with ThreadPoolExecutor(max_workers=len(adds)) as pool:
        for future in [pool.submit(add, variant_id, quantity) for variant_id, quantity in adds]:
            future.result(timeout=60)


def test_adds_racing_into_one_cart_lose_nothing(shop, any_engine):
    session, variants = shop
    cart = carts.create_cart(session=session)
    carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variants[0].id)
    session.commit()
    adds = [(variants[n % 3].id, 1 + n % 2) for n in range(12)]  # one line there, two sizes new to the cart
    _adds_at_once(any_engine, cart.id, adds)
    session.expire_all()
    lines = carts.get_cart(session=session, cart_id=cart.id).lines
    for variant in variants[:3]:
        wanted = sum(q for v, q in adds if v == variant.id) + (variant is variants[0])
        assert sum(line.quantity for line in lines if line.variant_id == variant.id) == wanted
    assert sum(line.quantity for line in lines) == 1 + sum(q for _, q in adds)


def test_adds_racing_past_the_most_one_can_buy_stop_there(shop, any_engine):
    session, variants = shop
    cart = carts.create_cart(session=session)
    carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variants[0].id)
    session.commit()
    _adds_at_once(any_engine, cart.id, [(variants[0].id, 40)] * 6)
    session.expire_all()
    assert [line.quantity for line in carts.get_cart(session=session, cart_id=cart.id).lines] == [carts.MAX_QUANTITY]


def test_a_cart_made_in_the_same_transaction_takes_the_add(shop):
    """A caller that made the cart moments ago, not yet written out, still adds to it (create_with_items does)."""
    from storefront.models import Cart
    from storefront.services.ids import new_id

    session, variants = shop
    cart = Cart(id=new_id("cart"))
    session.add(cart)
    added = carts.add_to_cart(session=session, cart_id=cart.id, variant_id=variants[0].id, quantity=2)
    assert (added.lines, added.item_count) == (1, 2)
