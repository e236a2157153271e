"""An order's or a cart's lines and totals: the checkout's summary and the confirmation's receipt."""

from __future__ import annotations

import reflex as rx


def summary_line(title: rx.Component, quantity: rx.Var, total: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.box(title, rx.text("Quantity ", quantity, size="1", color_scheme="gray", high_contrast=True),
                   min_width="0", class_name="wrap-anywhere"),
            rx.text(total, weight="medium", white_space="nowrap"),
            justify="between", spacing="3", width="100%",
        ),
        style={"padding": "8px 0", "borderBottom": f"1px solid {rx.color('gray', 5)}"},
    )


def totals(subtotal: rx.Var, shipping: rx.Var, total: rx.Var) -> rx.Component:
    def pair(name: str, value: rx.Var, **props) -> rx.Component:
        return rx.flex(rx.el.dt(name), rx.el.dd(value, style={"margin": 0}), justify="between", **props)

    return rx.el.dl(
        pair("Subtotal", subtotal), pair("Shipping", shipping),
        pair("Total", total, style={"fontWeight": 700, "fontSize": "18px"}),
        style={"margin": "8px 0 0", "display": "grid", "gap": "4px"},
    )


def summary_box(heading: str, lines: rx.Component, subtotal: rx.Var, shipping: rx.Var, total: rx.Var,
                **props) -> rx.Component:
    """A titled card: the lines (an rx.foreach of summary_line) and the totals under them."""
    return rx.card(
        rx.heading(heading, as_="h2", size="4", margin_bottom="4px"),
        rx.el.ul(lines, style={"listStyle": "none", "margin": 0, "padding": 0}),
        totals(subtotal, shipping, total),
        width="100%", **props,
    )
