"""Order lists (Medusa's state filters and sort) and a customer's shipping addresses, at the service."""

from __future__ import annotations

import pytest

from storefront.services import orders
from storefront.services.errors import InvalidInput
from tests.factories import make_customer, make_guest_order


def _owned(session, customer_id: int, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        row = make_guest_order(session).order
        row.customer_id = customer_id
        session.add(row)
        ids.append(row.id)
    session.flush()
    return ids


def _ids(session, customer_id: int, **query) -> list[str]:
    found, _count = orders.list_customer_orders(session=session, customer_id=customer_id, **query)
    return [view.order.id for view in found]


def test_state_filters_combine_and_count_what_matches(session):
    customer = make_customer(session)
    first, second, third = _owned(session, customer.id, 3)
    for order_id, values in ((first, {"status": "completed"}), (second, {"payment_status": "refunded"})):
        row = orders.get_order(session=session, order_id=order_id).order
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
    session.flush()
    assert _ids(session, customer.id, status=["completed"]) == [first]
    assert _ids(session, customer.id, status=["pending"], payment_status=["captured"]) == [third]
    found, count = orders.list_customer_orders(session=session, customer_id=customer.id, status=["pending"], limit=1)
    assert len(found) == 1 and count == 2
    assert _ids(session, customer.id, status=["pending", "pending"], order="display_id") == [second, third]


@pytest.mark.parametrize("query", [{"status": ["done"]}, {"fulfillment_status": ["captured"]},
                                   {"payment_status": ["shipped"]}])
def test_an_unknown_state_names_the_field(session, query):
    customer = make_customer(session)
    with pytest.raises(InvalidInput) as refused:
        orders.list_customer_orders(session=session, customer_id=customer.id, **query)
    assert refused.value.field == next(iter(query))


@pytest.mark.parametrize("order", ["total", "-payment_status", "fulfillment_status", "-", "created_at desc"])
def test_only_columns_sort(session, order):
    customer = make_customer(session)
    with pytest.raises(InvalidInput, match=r"^Order field( [a-z_]+)? is not valid$"):
        orders.list_customer_orders(session=session, customer_id=customer.id, order=order)


def test_shipping_addresses_are_distinct_most_recent_first_and_bounded(session, monkeypatch):
    customer = make_customer(session)
    assert orders.shipping_addresses(session=session, customer_id=customer.id) == []
    ids = _owned(session, customer.id, 4)
    row = orders.get_order(session=session, order_id=ids[1]).order
    row.city = "Boston"
    session.add(row)
    session.flush()
    assert [a.city for a in orders.shipping_addresses(session=session, customer_id=customer.id)] == [
        "Arlington", "Boston"]  # Arlington was used last (the fourth order)
    monkeypatch.setattr(orders, "MAX_ADDRESSES", 1)
    assert len(orders.shipping_addresses(session=session, customer_id=customer.id)) == 1
    assert orders.shipping_addresses(session=session, customer_id=make_customer(session).id) == []
