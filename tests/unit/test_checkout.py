import pytest
from sqlmodel import select

from storefront.models import Order, OutboxMessage
from storefront.services import carts, catalog, checkout, orders, outbox
from storefront.services.errors import GuestEmailHasAccount, InvalidInput, NotFound
from tests.factories import make_cart, make_customer, make_guest_order


def test_seed_is_idempotent_and_has_6_to_10_products(session):
    added = catalog.seed_demo_catalog(session=session)
    assert 6 <= added <= 10
    assert catalog.seed_demo_catalog(session=session) == 0
    products, total = catalog.list_products(session=session)
    assert total == added and all(p.variants for p in products)


def test_cart_lines_merge_change_and_remove(session):
    catalog.seed_demo_catalog(session=session)
    product = catalog.list_products(session=session)[0][0]
    cart = carts.create_cart(session=session)
    carts.add_item(session=session, cart_id=cart.id, variant_id=product.variants[0].id, quantity=1)
    view = carts.add_item(session=session, cart_id=cart.id, variant_id=product.variants[0].id, quantity=2)
    assert len(view.lines) == 1 and view.item_count == 3
    assert view.subtotal == 3 * product.variants[0].price
    view = carts.set_quantity(session=session, cart_id=cart.id, line_id=view.lines[0].id, quantity=0)
    assert view.lines == [] and view.total == 0


@pytest.mark.parametrize("quantity", [0, -1, 100, 1.5, "2", True])
def test_bad_quantities_are_refused(session, quantity):
    catalog.seed_demo_catalog(session=session)
    cart = carts.create_cart(session=session)
    variant = catalog.list_products(session=session)[0][0].variants[0]
    with pytest.raises(InvalidInput):
        carts.add_item(session=session, cart_id=cart.id, variant_id=variant.id, quantity=quantity)


def test_unknown_variant_or_cart_is_not_found(session):
    cart = carts.create_cart(session=session)
    with pytest.raises(NotFound):
        carts.add_item(session=session, cart_id=cart.id, variant_id="variant_nope", quantity=1)
    with pytest.raises(NotFound):
        carts.get_cart(session=session, cart_id="cart_nope")


def test_guest_checkout_makes_an_unowned_order_and_mails_a_confirmation(session):
    view = make_guest_order(session, email="Guest@Example.com", items=2)
    order = view.order
    assert order.id.startswith("order_") and len(order.id) == 32
    assert order.customer_id is None and order.email == "guest@example.com"
    assert order.total == order.subtotal + order.shipping_total and len(view.lines) == 2
    (mail,) = outbox.list_messages(session=session)
    assert mail.to == "guest@example.com" and order.id in mail.subject
    assert "claim" not in mail.subject.lower()
    assert orders.get_order(session=session, order_id=order.id.lower()).order.id == order.id


def test_guest_may_not_use_an_email_that_has_an_account(session):
    make_customer(session, email="ada@example.com")
    cart_id = make_cart(session, email="ADA@example.com")
    with pytest.raises(GuestEmailHasAccount) as excinfo:
        checkout.place_order(session=session, cart_id=cart_id)
    assert "Log in" in excinfo.value.message
    assert carts.get_cart(session=session, cart_id=cart_id).cart.completed_at is None  # nothing lost


def test_logged_in_checkout_joins_the_account_at_once(session):
    customer = make_customer(session)
    cart_id = make_cart(session, email="ignored@example.com")
    view = checkout.place_order(session=session, cart_id=cart_id, customer_id=customer.id)
    assert view.order.customer_id == customer.id and view.order.email == customer.email
    mine, count = orders.list_customer_orders(session=session, customer_id=customer.id)
    assert count == 1 and mine[0].order.id == view.order.id


def test_missing_address_field_is_named_and_empty_cart_refused(session):
    cart_id = make_cart(session)
    carts.update_details(session=session, cart_id=cart_id, address={"city": " "})
    with pytest.raises(InvalidInput) as excinfo:
        checkout.place_order(session=session, cart_id=cart_id)
    assert excinfo.value.field == "city" and excinfo.value.errors == {"city": "Enter your city."}
    empty = make_cart(session, items=0)
    with pytest.raises(InvalidInput, match="empty"):
        checkout.place_order(session=session, cart_id=empty)


def test_checkout_form_details_are_saved_and_the_order_placed_together(session):
    cart_id = make_cart(session, email="old@example.com")
    view = checkout.place_order(session=session, cart_id=cart_id, email="New@Example.com",
                                address={"city": "Springfield"})
    assert view.order.email == "new@example.com" and view.order.city == "Springfield"


def test_a_cart_checks_out_once_and_a_repeat_answers_with_its_order(session):
    cart_id = make_cart(session)
    first = checkout.place_order(session=session, cart_id=cart_id)
    again = checkout.place_order(session=session, cart_id=cart_id)
    assert again.order.id == first.order.id and len(again.lines) == len(first.lines)
    assert len(session.exec(select(Order)).all()) == 1
    assert len(session.exec(select(OutboxMessage)).all()) == 1  # one confirmation email


def test_ten_threads_completing_one_cart_make_one_order_and_one_email(engine):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from sqlmodel import Session

    with Session(engine) as setup:
        cart_id = make_cart(setup)
        setup.commit()
    start = threading.Barrier(10)

    def complete(_):
        start.wait()
        with Session(engine, expire_on_commit=False) as own:
            view = checkout.place_order(session=own, cart_id=cart_id)
            own.commit()
            return view.order.id

    with ThreadPoolExecutor(max_workers=10) as pool:
        ids = list(pool.map(complete, range(10)))
    with Session(engine) as check:
        assert len(check.exec(select(Order)).all()) == 1
        assert len(check.exec(select(OutboxMessage)).all()) == 1
    assert len(set(ids)) == 1


def test_every_field_at_fault_is_named_at_once_in_the_forms_order(session):
    cart_id = make_cart(session)
    with pytest.raises(InvalidInput) as excinfo:
        checkout.place_order(session=session, cart_id=cart_id, email="not-an-email", address={
            "first_name": "Grace", "address_1": "", "city": " ", "postal_code": "", "country_code": "us"})
    errors = excinfo.value.errors
    assert list(errors) == ["email", "address_1", "city", "postal_code"]
    assert errors["city"] == "Enter your city." and "valid email" in errors["email"]
    assert excinfo.value.message == " ".join(errors.values())  # what the REST API answers
    assert carts.get_cart(session=session, cart_id=cart_id).cart.completed_at is None


def test_one_name_is_a_whole_name(session):
    assert checkout.split_full_name("  Cher ") == {"first_name": "Cher", "last_name": ""}
    assert checkout.split_full_name("Grace  Brewster Hopper") == {"first_name": "Grace", "last_name": "Brewster Hopper"}
    cart_id = make_cart(session)
    view = checkout.place_order(session=session, cart_id=cart_id, address={"first_name": "Cher", "last_name": ""})
    assert (view.order.first_name, view.order.last_name) == ("Cher", "")
    blank = make_cart(session)
    with pytest.raises(InvalidInput) as excinfo:
        checkout.place_order(session=session, cart_id=blank, address=checkout.split_full_name("  "))
    assert excinfo.value.errors == {"first_name": "Enter your name."}


def test_a_product_page_and_the_cart_line_know_the_size(session):
    catalog.seed_demo_catalog(session=session)
    tee = catalog.get_product(session=session, handle="classic-tee")
    assert tee.has_sizes and [v.title for v in tee.variants] == ["S", "M", "L"]
    assert tee.image_alt and "T-shirt" in tee.image_alt
    cap = catalog.get_product(session=session, handle="cap")
    assert not cap.has_sizes
    for handle in ("no-such-product", "", "x" * 500, 5, None):
        with pytest.raises(NotFound):
            catalog.get_product(session=session, handle=handle)
    cart = carts.create_cart(session=session)
    carts.add_item(session=session, cart_id=cart.id, variant_id=tee.variants[1].id)
    view = carts.add_item(session=session, cart_id=cart.id, variant_id=cap.variants[0].id)
    assert [(line.title, line.size) for line in view.lines] == [("Classic T-Shirt", "M"), ("Canvas Cap", "")]


def test_the_country_is_one_the_shop_ships_to_in_any_case():
    address = {"first_name": "Grace", "address_1": "1 Harbour Street", "city": "Arlington", "postal_code": "22201"}
    for code in checkout.COUNTRIES:
        assert checkout.validate_address({**address, "country_code": code.upper()})["country_code"] == code
    for code in ("ZZ", "xx", "usa", "u", "ü1"):
        with pytest.raises(InvalidInput) as excinfo:
            checkout.validate_address({**address, "country_code": code})
        assert list(excinfo.value.errors) == ["country_code"]


def test_a_cart_made_with_items_holds_them_and_one_bad_item_keeps_no_cart(settings):
    from storefront.migrate import prepare_database
    from storefront.models import Cart
    from storefront.services import runner

    prepare_database(settings.database_url)
    products, _ = runner.run(catalog.list_products)
    first, second = products[0].variants[0].id, products[1].variants[0].id
    view = runner.run(carts.create_with_items, items=[(first, 2), (second, 1), (first, 1)])
    assert [(line.variant_id, line.quantity) for line in view.lines] == [(first, 3), (second, 1)]
    with pytest.raises(NotFound):
        runner.run(carts.create_with_items, items=[(first, 1), ("variant_nope", 1)])
    with pytest.raises(InvalidInput):
        runner.run(carts.create_with_items, items=[(first, 1), (second, 0)])
    assert [cart.id for cart in runner.run(lambda session: session.exec(select(Cart)).all())] == [view.cart.id]
