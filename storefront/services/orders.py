"""Reading orders: one by ID, a customer's list, and the view both faces show."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, func, select

from storefront.models import Order, OrderLine, ShippingAddress
from storefront.services.errors import InvalidInput, NotFound
from storefront.services.ids import normalize_id

# Medusa's values for an order's three states, v1's and v2's together (v2 renamed none, added a few). A filter
# takes any of them; an order here is pending, captured and not fulfilled until something else sets them.
STATUSES = ("pending", "completed", "draft", "archived", "canceled", "requires_action")
FULFILLMENT_STATUSES = ("not_fulfilled", "partially_fulfilled", "fulfilled", "partially_shipped", "shipped",
                        "partially_delivered", "delivered", "partially_returned", "returned", "canceled",
                        "requires_action")
PAYMENT_STATUSES = ("not_paid", "awaiting", "authorized", "partially_authorized", "captured", "partially_captured",
                    "partially_refunded", "refunded", "canceled", "requires_action")
# What a list may be sorted by: stored columns only. Medusa v2 refuses its computed fields (totals, and its
# payment and fulfillment status, which it derives); so does this app, though it stores the two statuses, so
# that a client written against Medusa gets the same answer here.
SORTABLE = ("created_at", "display_id", "status", "email", "currency_code", "id")
_PLAIN_NAME = re.compile(r"[a-z][a-z0-9_.]{0,63}")
MAX_ADDRESSES = 50


@dataclass
class OrderView:
    order: Order
    lines: list[OrderLine]

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


def with_lines(*, session: Session, orders: Sequence[Order]) -> list[OrderView]:
    """Attach each order's lines (one query for all of them)."""
    ids = [o.id for o in orders]
    lines = session.exec(select(OrderLine).where(OrderLine.order_id.in_(ids)).order_by(OrderLine.id)).all()
    by_order: dict[str, list[OrderLine]] = {}
    for line in lines:
        by_order.setdefault(line.order_id, []).append(line)
    return [OrderView(order=o, lines=by_order.get(o.id, [])) for o in orders]


def get_order(*, session: Session, order_id: str) -> OrderView:
    """An order by its public ID.

    Raises:
        NotFound: No order has this ID.
    """
    clean = normalize_id("order", order_id) if isinstance(order_id, str) else None
    order = session.exec(select(Order).where(Order.id == clean)).first() if clean else None
    if order is None:
        raise NotFound("We could not find an order with that ID.")
    return with_lines(session=session, orders=[order])[0]


def _one_of(values: Sequence[str], allowed: tuple[str, ...], name: str) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise InvalidInput(f"{name} must be one of: {', '.join(allowed)}.", field=name)
    return sorted(set(values))


def _sort(order: str | None):
    """The ORDER BY of a list for Medusa's `order` parameter ("display_id", "-created_at"); newest first by
    default, the display number breaking ties so that paging is stable.

    Raises:
        InvalidInput: A field that is not a column one can sort by (Medusa's own sentence).
    """
    if not order:
        return [Order.created_at.desc(), Order.display_id.desc()]
    field = order.removeprefix("-")
    if field not in SORTABLE:
        # Medusa's sentence names the field; only a plain name is echoed back, never arbitrary text.
        shown = f" {field}" if _PLAIN_NAME.fullmatch(field) else ""
        raise InvalidInput(f"Order field{shown} is not valid", field="order")
    column = getattr(Order, field)
    first = column.desc() if order.startswith("-") else column.asc()
    return [first] if field == "display_id" else [first, Order.display_id.desc()]


def list_customer_orders(
    *, session: Session, customer_id: int, offset: int = 0, limit: int = 50, status: Sequence[str] = (),
    fulfillment_status: Sequence[str] = (), payment_status: Sequence[str] = (), order: str | None = None,
) -> tuple[list[OrderView], int]:
    """A customer's orders and how many match in all, filtered and sorted as Medusa's store API does.

    Args:
        session: Database session.
        customer_id: Whose orders.
        offset: Orders to skip.
        limit: Most orders to return.
        status: Only orders in one of these statuses (none: every status); likewise the next two.
        fulfillment_status: See `status`.
        payment_status: See `status`.
        order: A column to sort by, "-" before it for descending; newest first when None.

    Raises:
        InvalidInput: An unknown status value, or a field that cannot be sorted by.
    """
    where = [Order.customer_id == customer_id]
    for column, values, allowed, name in (
        (Order.status, status, STATUSES, "status"),
        (Order.fulfillment_status, fulfillment_status, FULFILLMENT_STATUSES, "fulfillment_status"),
        (Order.payment_status, payment_status, PAYMENT_STATUSES, "payment_status"),
    ):
        if values:
            where.append(column.in_(_one_of(values, allowed, name)))
    order_by = _sort(order)
    total = session.exec(select(func.count()).select_from(Order).where(*where)).one()
    orders = session.exec(select(Order).where(*where).order_by(*order_by).offset(offset).limit(limit)).all()
    return with_lines(session=session, orders=orders), total


def shipping_addresses(*, session: Session, customer_id: int) -> list[ShippingAddress]:
    """The distinct shipping addresses of a customer's orders (Medusa v1's `customer.shipping_addresses`), the
    most recently used first, at most MAX_ADDRESSES of them.

    They come from the orders rather than an address book of their own: an address is one the customer
    shipped to, including with orders claimed into the account.
    """
    fields = [getattr(Order, name) for name in ShippingAddress.model_fields]
    rows = session.exec(
        select(*fields).where(Order.customer_id == customer_id).group_by(*fields)
        .order_by(func.max(Order.display_id).desc()).limit(MAX_ADDRESSES)
    ).all()
    return [ShippingAddress(**dict(zip(ShippingAddress.model_fields, row, strict=True))) for row in rows]
