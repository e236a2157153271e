"""The mail outbox viewer (a tiny Mailpit): a live list, search, a message in HTML, text and source tabs."""

from __future__ import annotations

import reflex as rx

from storefront.components.forms import status
from storefront.components.layout import page
from storefront.components.tables import cell, header_cell, row, stack_table
from storefront.components.visit import loaded
from storefront.state.auth import AuthState
from storefront.state.outbox import OutboxState

_PRE = {"whiteSpace": "pre-wrap", "fontSize": "13px", "overflowWrap": "anywhere"}


def message_row(message: rx.Var) -> rx.Component:
    return row(
        cell(rx.text(message["to"], class_name="wrap-anywhere"), "To"),
        cell(rx.flex(
            rx.button(message["subject"], variant="ghost", high_contrast=True,
                      on_click=OutboxState.open(message["id"]), class_name="wrap-anywhere",
                      weight=rx.cond(message["unread"] != "", "bold", "regular"),
                      # Radix buttons neither wrap nor shrink: a long subject must do both on a phone.
                      style={"height": "auto", "whiteSpace": "normal", "textAlign": "left", "minWidth": 0,
                             "flexShrink": 1}),
            rx.cond(message["unread"] != "", rx.badge("new", high_contrast=True)),
            align="center", spacing="2"), "Subject"),
        cell(rx.text(message["when"], size="1"), "Time"),
        cell(rx.badge(message["status"], high_contrast=True), "Status"),
        custom_attrs={"data-testid": "outbox-row"}, key=message["id"],  # a re-render never swaps rows
    )


def opened_message() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(rx.heading(OutboxState.subject, as_="h2", size="4", class_name="wrap-anywhere"),
                    rx.button("Close", variant="soft", high_contrast=True, on_click=OutboxState.close),
                    justify="between", width="100%", spacing="3"),
            rx.text("To: ", OutboxState.to, " · ", OutboxState.when, " · ", OutboxState.status, size="2",
                    class_name="wrap-anywhere"),
            rx.tabs.root(
                rx.tabs.list(rx.tabs.trigger("HTML", value="html"), rx.tabs.trigger("Text", value="text"),
                             rx.tabs.trigger("Source", value="source")),
                rx.tabs.content(
                    rx.el.iframe(src_doc=OutboxState.html, title="Message (HTML)",
                                 sandbox="allow-popups allow-popups-to-escape-sandbox "
                                         "allow-top-navigation-by-user-activation",
                                 style={"width": "100%", "height": "420px", "border": "1px solid #ddd",
                                        "borderRadius": "6px", "background": "white"}),
                    value="html", padding_top="8px", force_mount=True),
                # Mounted but hidden while not chosen: the message's text stays in the page for find-in-page,
                # screen readers' document search, and tests that read it.
                rx.tabs.content(rx.el.pre(OutboxState.text, style=_PRE), value="text", padding_top="8px",
                                force_mount=True),
                rx.tabs.content(rx.el.pre(OutboxState.source, style=_PRE,
                                          custom_attrs={"data-testid": "message-source"}),
                                value="source", padding_top="8px", force_mount=True),
                default_value="html", width="100%",
            ),
            rx.heading("Links in this message", as_="h3", size="3"),
            rx.vstack(rx.foreach(OutboxState.links, lambda url: rx.link(url, href=url, word_break="break-all",
                                                                        underline="always")),
                      custom_attrs={"data-testid": "message-links"}),
            width="100%", spacing="3",
        ),
        width="100%", custom_attrs={"data-testid": "outbox-message"},
    )


def outbox_page() -> rx.Component:
    return page(
        rx.cond(
            AuthState.outbox_enabled,  # load_session, which runs first on every page, read it
            rx.vstack(
                rx.text("Every email the shop sends lands here first (and goes out by SMTP too when configured)."),
                rx.text("New messages appear here by themselves.", size="2", color_scheme="gray"),
                rx.form(
                    rx.flex(
                        rx.el.label("Search", html_for="field-search", style={"fontWeight": 500}),
                        rx.input(id="field-search", name="search", placeholder="recipient or subject"),
                        rx.button("Search", type="submit", variant="soft", high_contrast=True),
                        rx.button("Show all", type="button", variant="ghost", high_contrast=True,
                                  on_click=OutboxState.show_all),
                        spacing="2", align="center", wrap="wrap",
                    ),
                    on_submit=OutboxState.search, reset_on_submit=False,
                ),
                rx.hstack(rx.button("Refresh", variant="soft", high_contrast=True, on_click=OutboxState.load),
                          rx.button("Clear outbox", color_scheme="red", variant="soft", high_contrast=True,
                                    on_click=OutboxState.clear)),
                status(OutboxState.notice),
                rx.cond(OutboxState.selected_id != "", opened_message()),
                rx.cond(
                    OutboxState.messages.length() > 0,
                    stack_table([header_cell(h) for h in ("To", "Subject", "Time", "Status")],
                                rx.foreach(OutboxState.messages, message_row), caption="Messages, newest first"),
                    rx.text("No messages."),
                ),
                width="100%", spacing="3",
            ),
            rx.text("The outbox is turned off (OUTBOX_ENABLED=0).", custom_attrs={"role": "alert"}),
        ),
        title="Mail outbox", ready=loaded(),
    )


def not_found_page() -> rx.Component:
    return page(
        rx.text("There is nothing at this address. It may have moved, or the link was mistyped."),
        rx.link("Back to the shop", href="/", underline="always"),
        title="Page not found",
    )
