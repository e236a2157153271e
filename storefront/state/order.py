"""An order's own page (/orders/<id>): its items, its address and its whole history, for its owner only."""

from __future__ import annotations

import dataclasses

import reflex as rx

from storefront import routes
from storefront.mail.render import money
from storefront.services import history
from storefront.services.errors import NotFound, when
from storefront.services.runner import arun
from storefront.state.auth import UsesSession
from storefront.state.session_binding import BindsToSession


@dataclasses.dataclass
class LineRow:
    title: str = ""
    quantity: str = ""
    total: str = ""


@dataclasses.dataclass
class EventRow:
    """One line of an order's history: when, and what happened."""

    time: str = ""
    iso: str = ""
    message: str = ""


def event_rows(lines: list[history.EventLine]) -> list[EventRow]:
    return [EventRow(time=when(line.created_at), iso=line.created_at.isoformat(), message=line.message)
            for line in lines]


class OrderPageState(BindsToSession, UsesSession, rx.State):
    phase: str = "loading"  # loading | missing | ready
    missing: str = ""
    number: str = ""  # the order's ID (the route's own var is named order_id)
    placed: str = ""
    email: str = ""
    address: str = ""
    total: str = ""
    lines: list[LineRow] = []
    events: list[EventRow] = []

    @rx.event
    async def load(self):
        self.phase, self.missing, self.lines, self.events = "loading", "", [], []
        customer_id = await self._current_customer_id()
        if customer_id is None:
            return  # require_login, run before this handler, is sending the visitor to log in
        try:
            story = await arun(history.order_story, customer_id=customer_id,
                               order_id=routes.order_in(self.router.url.path))
        except NotFound as exc:
            self.phase, self.missing = "missing", exc.message
            return
        order = story.view.order
        self.number, self.placed, self.email = order.id, when(order.created_at), order.email
        self.address = ", ".join(part for part in (f"{order.first_name} {order.last_name}".strip(), order.address_1,
                                                   f"{order.postal_code} {order.city}".strip(),
                                                   order.country_code.upper()) if part)
        self.total = money(order.total, order.currency_code)
        self.lines = [LineRow(title=line.title, quantity=str(line.quantity),
                              total=money(line.unit_price * line.quantity, order.currency_code))
                      for line in story.view.lines]
        self.events = event_rows(story.events)
        self.phase = "ready"
