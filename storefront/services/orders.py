"""Reading orders: one by ID, a customer's list, and the view both faces show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, func, select

from storefront.models import Order, OrderLine
from storefront.services.errors import NotFound
from storefront.services.ids import normalize_id


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


def list_customer_orders(
    *, session: Session, customer_id: int, offset: int = 0, limit: int = 50
) -> tuple[list[OrderView], int]:
    """A customer's orders, newest first, and how many there are in all."""
    total = session.exec(select(func.count()).select_from(Order).where(Order.customer_id == customer_id)).one()
    orders = session.exec(
        select(Order).where(Order.customer_id == customer_id)
        .order_by(Order.created_at.desc(), Order.display_id.desc()).offset(offset).limit(limit)
    ).all()
    return with_lines(session=session, orders=orders), total
