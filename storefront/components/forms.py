"""Form pieces with real labels, errors tied to their fields, and the status and alert boxes tests rely on
(docs/testing.md)."""

from __future__ import annotations

import reflex as rx

from storefront.components.visit import loaded


def field_label(label: str, field_id: str) -> rx.Component:
    return rx.el.label(label, html_for=field_id, style={"fontWeight": 500, "fontSize": "14px"})


def field_error(error: rx.Var, error_id: str, alone: rx.Var | bool) -> rx.Component:
    """A field's error under it. When it is the form's only error it is also the form's alert (no summary box
    repeats it); with several, the summary is the alert and this is the detail."""
    return rx.cond(
        error != "",
        rx.flex(rx.icon("circle-alert", size=14, aria_hidden="true", flex_shrink="0"),
                rx.text(error, color_scheme="red", size="2"),
                id=error_id, spacing="1", align="center", margin_top="4px", color=rx.color("red", 11),
                custom_attrs=_role_if(alone, "alert")),
    )


def _role_if(condition: rx.Var | bool, role: str) -> dict:
    if isinstance(condition, bool):
        return {"role": role} if condition else {}
    return {"role": rx.cond(condition, role, None)}


def invalid_attrs(error: rx.Var | None, error_id: str, hint_id: str | None = None) -> dict:
    """aria-invalid and aria-describedby for an input: its error (and hint) are read with it."""
    if error is None:
        return {"aria-describedby": hint_id} if hint_id else {}
    described = f"{error_id} {hint_id}" if hint_id else error_id
    return {"aria-invalid": rx.cond(error != "", "true", "false"),
            "aria-describedby": rx.cond(error != "", described, hint_id or None)}


def field(label: str, name: str, *, error: rx.Var | None = None, alone: rx.Var | bool = False,
          type_: str = "text", autocomplete: str = "off", default_value: str | rx.Var = "",
          required: bool = True, hint: str | None = None) -> rx.Component:
    """A labelled input (the label's `for` points at it) with its hint and error underneath, tied to it."""
    field_id, error_id = f"field-{name}", f"field-{name}-error"
    hint_id = f"field-{name}-hint" if hint else None
    return rx.box(
        field_label(label, field_id),
        rx.input(id=field_id, name=name, type=type_, auto_complete=autocomplete, default_value=default_value,
                 required=required, size="3", margin_top="4px", custom_attrs=invalid_attrs(error, error_id, hint_id)),
        rx.text(hint, id=hint_id, size="1", color_scheme="gray", high_contrast=True, margin_top="4px")
        if hint else rx.fragment(),
        field_error(error, error_id, alone) if error is not None else rx.fragment(),
        width="100%",
    )


def alert(message: rx.Var, *children: rx.Component) -> rx.Component:
    """An error in role="alert", shown only while there is one (and never one left from an earlier visit)."""
    return rx.cond(
        loaded() & (message != ""),
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.callout.text(message),
            *children,
            color_scheme="red", high_contrast=True, custom_attrs={"role": "alert"}, width="100%",
        ),
    )


def error_summary(summary: rx.Var) -> rx.Component:
    """With several fields at fault, one alert naming them, each a link to its field."""
    return rx.cond(
        loaded() & (summary.length() > 1),
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.callout.text(f"Please correct these {summary.length()} fields:"),
            rx.el.ul(rx.foreach(summary, lambda item: rx.el.li(
                rx.link(item["label"], href=item["href"], color_scheme="red", high_contrast=True,
                        underline="always"))), style={"margin": "0", "paddingLeft": "20px"}),
            color_scheme="red", high_contrast=True, custom_attrs={"role": "alert"}, width="100%",
        ),
    )


def status(message: rx.Var, *children: rx.Component) -> rx.Component:
    """Success or progress in role="status"."""
    return rx.cond(
        loaded() & (message != ""),
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-check")),
            rx.callout.text(message, class_name="wrap-anywhere"),
            *children,
            color_scheme="green", high_contrast=True, custom_attrs={"role": "status"}, width="100%",
        ),
    )


def submit(label: str, submitting: rx.Var) -> rx.Component:
    """A submit button that shows progress and cannot be pressed twice."""
    return rx.button(label, type="submit", size="3", loading=submitting, disabled=submitting)
