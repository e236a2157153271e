"""One order's page: its items, where it goes, and its whole history (placed, claims and how each ended)."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.components.forms import alert
from storefront.components.history import timeline
from storefront.components.layout import page
from storefront.components.tables import cell, header_cell, row, stack_table
from storefront.components.visit import loaded
from storefront.state.auth import AuthState
from storefront.state.order import OrderPageState


def line_row(line: rx.Var) -> rx.Component:
    return row(cell(line.title, lead=True), cell(line.quantity, "Quantity", numeric=True),
               cell(line.total, "Total", numeric=True), custom_attrs={"data-testid": "order-line"})


def order_details() -> rx.Component:
    return rx.vstack(
        rx.text("Placed ", OrderPageState.placed, " with ", rx.text.strong(OrderPageState.email),
                class_name="wrap-anywhere"),
        stack_table([header_cell("Item"), header_cell("Quantity", numeric=True), header_cell("Total", numeric=True)],
                    rx.foreach(OrderPageState.lines, line_row), caption="Items in this order"),
        rx.text("Total: ", rx.text.strong(OrderPageState.total)),
        rx.text("Ships to: ", OrderPageState.address, class_name="wrap-anywhere"),
        timeline(OrderPageState.events, "History"),
        rx.link("Back to My orders", href=routes.ACCOUNT, underline="always", margin_top="16px"),
        spacing="3", width="100%",
    )


def order_page() -> rx.Component:
    return page(
        rx.match(
            OrderPageState.phase,
            ("ready", order_details()),
            ("missing", alert(OrderPageState.missing,
                              rx.link("Go to My orders", href=routes.ACCOUNT, underline="always"))),
            rx.hstack(rx.spinner(), rx.text("Loading the order…"), custom_attrs={"role": "status"}),
        ),
        title=rx.cond(OrderPageState.phase == "ready", "Order " + OrderPageState.number, "Order"),
        ready=loaded() & AuthState.logged_in,
    )
