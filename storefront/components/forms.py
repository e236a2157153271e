"""Form pieces with real labels, and the status and alert boxes tests rely on (docs/testing.md)."""

from __future__ import annotations

import reflex as rx


def field(label: str, name: str, *, error: rx.Var | None = None, type_: str = "text",
          autocomplete: str = "off", default_value: str | rx.Var = "", required: bool = True) -> rx.Component:
    """A labelled input (the label's `for` points at the input) with its error underneath."""
    field_id = f"field-{name}"
    return rx.box(
        rx.el.label(label, html_for=field_id, style={"fontWeight": 500, "fontSize": "14px"}),
        rx.input(id=field_id, name=name, type=type_, auto_complete=autocomplete, default_value=default_value,
                 required=required, size="3", margin_top="4px"),
        rx.cond(error, rx.text(error, color_scheme="red", size="2", margin_top="2px"))
        if error is not None else rx.fragment(),
        width="100%",
    )


def alert(message: rx.Var, *children: rx.Component) -> rx.Component:
    """An error in role="alert", shown only while there is one."""
    return rx.cond(
        message != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.callout.text(message),
            *children,
            color_scheme="red", custom_attrs={"role": "alert"}, width="100%",
        ),
    )


def status(message: rx.Var, *children: rx.Component) -> rx.Component:
    """Success or progress in role="status"."""
    return rx.cond(
        message != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-check")),
            rx.callout.text(message),
            *children,
            color_scheme="green", custom_attrs={"role": "status"}, width="100%",
        ),
    )


def submit(label: str, submitting: rx.Var) -> rx.Component:
    """A submit button that shows progress and cannot be pressed twice."""
    return rx.button(label, type="submit", size="3", loading=submitting, disabled=submitting)
