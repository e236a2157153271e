"""Tables that stay tables on a wide screen and stack into labelled rows on a phone (assets/storefront.css).

Explicit ARIA roles keep the table's meaning once the phone layout changes its `display`; each cell carries
its column's name in `data-label`, which the phone layout shows before the cell's content.
"""

from __future__ import annotations

import reflex as rx


def header_cell(label: str, *, hidden: bool = False, numeric: bool = False) -> rx.Component:
    """A column header; `hidden` keeps its name for screen readers only (a column of buttons, say)."""
    content = rx.el.span(label, class_name="sr-only") if hidden else label
    return rx.el.th(content, scope="col", role="columnheader", class_name="numeric" if numeric else "")


def cell(content: rx.Component | rx.Var | str, label: str = "", *, lead: bool = False,
         numeric: bool = False) -> rx.Component:
    """A cell; `lead` is the row's first, naming cell, which a phone shows without a label."""
    classes = " ".join(name for name, on in (("lead", lead), ("numeric", numeric)) if on)
    attrs = {"data-label": label} if label and not lead else {}
    return rx.el.td(content, role="cell", class_name=classes, custom_attrs=attrs)


def row(*cells: rx.Component, **props) -> rx.Component:
    return rx.el.tr(*cells, role="row", **props)


def stack_table(headers: list[rx.Component], body: rx.Component, *, caption: str | None = None,
                **props) -> rx.Component:
    """The whole table: `headers` from header_cell, `body` the rows (usually an rx.foreach of row)."""
    return rx.el.table(
        rx.el.caption(caption, class_name="sr-only") if caption else rx.fragment(),
        rx.el.thead(rx.el.tr(*headers, role="row"), role="rowgroup"),
        rx.el.tbody(body, role="rowgroup"),
        role="table", class_name="stack-table", **props,
    )
