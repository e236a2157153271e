"""An order's history as a list of dated sentences (the order page, and /decline for the order email's owner)."""

from __future__ import annotations

import reflex as rx


def event_item(event: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.time(event.time, date_time=event.iso, class_name="event-time"),
        rx.text(event.message, as_="span", class_name="wrap-anywhere"),
        class_name="order-event", custom_attrs={"data-testid": "order-event"},
    )


def timeline(events: rx.Var, heading: str) -> rx.Component:
    """The events, oldest first, under an h2."""
    return rx.vstack(
        rx.heading(heading, as_="h2", size="5"),
        rx.el.ol(rx.foreach(events, event_item), class_name="order-history"),
        spacing="2", width="100%", margin_top="16px",
    )
