"""The mail outbox viewer (a tiny Mailpit): a live list, search, a message in HTML, text and source tabs."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.components.forms import status
from storefront.components.layout import page
from storefront.components.visit import loaded
from storefront.state.auth import AuthState
from storefront.state.outbox import OutboxState

_PRE = {"whiteSpace": "pre-wrap", "fontSize": "13px", "overflowWrap": "anywhere"}


def _focus_here(condition: rx.Var) -> dict:
    """Marks where assets/storefront.js puts focus once the page this load drew has rendered."""
    return {"data-focus-target": rx.cond(condition, "true", "false")}


def message_row(message: rx.Var) -> rx.Component:
    """One message: its subject (a button that opens it), its recipient, then the "new" badge, time and status,
    each on a line of its own so the badge always sits at the same place. The address breaks only at its @."""
    current = message.id == OutboxState.selected_id
    return rx.el.li(
        rx.button(message.subject, variant="ghost", high_contrast=True, class_name="outbox-open wrap-anywhere",
                  on_click=rx.redirect(message.href), weight=rx.cond(message.unread, "bold", "regular"),
                  custom_attrs={"aria-current": rx.cond(current, "true", None),
                                **_focus_here(OutboxState.focus == "row:" + message.id)}),
        rx.text(message.to_local, rx.el.wbr(), message.to_domain, size="2", class_name="outbox-address",
                margin_top="2px"),
        rx.flex(
            rx.cond(message.unread, rx.badge("new", high_contrast=True)),
            rx.text(message.when, size="1"),
            rx.badge(message.status, high_contrast=True, variant="outline"),
            align="center", spacing="2", margin_top="2px",
        ),
        class_name="outbox-item", custom_attrs={"data-testid": "outbox-row", "data-current": current},
        key=message.id,  # a re-render never swaps rows
    )


def message_list() -> rx.Component:
    return rx.cond(
        OutboxState.messages.length() > 0,
        rx.el.ul(rx.foreach(OutboxState.messages, message_row), class_name="outbox-list",
                 aria_label="Messages, newest first"),
        rx.text("No messages.", padding_y="8px"),
    )


def opened_message() -> rx.Component:
    back = rx.redirect(OutboxState.list_url)
    return rx.card(
        rx.vstack(
            rx.button(rx.icon("arrow-left", size=16), "Back to messages", variant="soft", high_contrast=True,
                      on_click=back, class_name="phone-only", size="3"),
            rx.flex(rx.heading(OutboxState.subject, as_="h2", size="4", class_name="wrap-anywhere",
                               custom_attrs=_focus_here(OutboxState.focus == "message")),
                    rx.button("Close", variant="soft", high_contrast=True, on_click=back, class_name="wide-only"),
                    justify="between", width="100%", spacing="3"),
            rx.text("To: ", OutboxState.to, " · ", OutboxState.when, " · ", OutboxState.status, size="2",
                    class_name="wrap-anywhere"),
            rx.tabs.root(
                rx.tabs.list(rx.tabs.trigger("HTML", value="html"), rx.tabs.trigger("Text", value="text"),
                             rx.tabs.trigger("Source", value="source")),
                rx.tabs.content(
                    # An origin of its own and no scripts; storefront.js makes it as tall as the email.
                    rx.el.iframe(src_doc=OutboxState.html, title="Message (HTML)", class_name="mail-frame",
                                 sandbox="allow-popups allow-popups-to-escape-sandbox "
                                         "allow-top-navigation-by-user-activation"),
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
            rx.cond(OutboxState.links.length() > 0,
                    rx.heading("Links in this message", as_="h3", size="3")),
            rx.vstack(rx.foreach(OutboxState.links, lambda url: rx.link(url, href=url, word_break="break-all",
                                                                        underline="always")),
                      custom_attrs={"data-testid": "message-links"}),
            width="100%", spacing="3",
        ),
        width="100%", custom_attrs={"data-testid": "outbox-message"},
    )


def search_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.label("Search", html_for="field-search", style={"fontWeight": 500}),
            # Drawn again (key) whenever the search in the address changes, so the box always shows it.
            rx.input(id="field-search", name="search", placeholder="recipient or subject",
                     default_value=OutboxState.query, key=OutboxState.query, class_name="outbox-search"),
            rx.button("Search", type="submit", variant="soft", high_contrast=True),
            rx.button("Show all", type="button", variant="ghost", high_contrast=True,
                      on_click=rx.redirect(routes.OUTBOX)),
            spacing="2", align="center", wrap="wrap",
        ),
        on_submit=OutboxState.search, reset_on_submit=False,
    )


def filter_status() -> rx.Component:
    """What the search shows, and new mail it hides. Always in the page, so a change in it is announced."""
    return rx.el.div(
        rx.cond(OutboxState.query != "", rx.text(
            rx.cond(OutboxState.messages.length() == 1, "1 message matches ",
                    f"{OutboxState.messages.length()} messages match "),
            rx.el.q(OutboxState.query, class_name="wrap-anywhere"), ".", size="2")),
        rx.cond(OutboxState.hidden_new > 0, rx.text(
            rx.cond(OutboxState.hidden_new == 1, "1 new message not shown: ",
                    f"{OutboxState.hidden_new} new messages not shown: "),
            rx.link("show all", href=routes.OUTBOX, underline="always"), size="2", weight="bold")),
        role="status", class_name="outbox-filter", custom_attrs=_focus_here(OutboxState.focus == "filter"),
    )


def outbox_page() -> rx.Component:
    return page(
        rx.cond(
            AuthState.outbox_enabled,  # load_session, which runs first on every page, read it
            rx.vstack(
                rx.text("Every email the shop sends lands here first (and goes out by SMTP too when configured)."),
                rx.text("New messages appear here by themselves.", size="2", color_scheme="gray"),
                search_form(),
                rx.hstack(rx.button("Refresh", variant="soft", high_contrast=True, on_click=OutboxState.refresh),
                          rx.button("Clear outbox", color_scheme="red", variant="soft", high_contrast=True,
                                    on_click=OutboxState.clear)),
                status(OutboxState.notice),
                filter_status(),
                rx.box(
                    rx.box(message_list(), class_name="outbox-pane outbox-list-pane"),
                    rx.cond(OutboxState.selected_id != "",
                            rx.box(opened_message(), class_name="outbox-pane outbox-message-pane")),
                    class_name="outbox-panes", width="100%",
                    custom_attrs={"data-open": rx.cond(OutboxState.selected_id != "", "true", "false")},
                ),
                width="100%", spacing="3",
            ),
            rx.text("The outbox is turned off (OUTBOX_ENABLED=0).", custom_attrs={"role": "alert"}),
        ),
        # The page stays drawn while its address changes within /outbox (a message opened or closed, a
        # search): the list keeps its scroll position and the open message simply follows the address.
        title="Mail outbox", ready=loaded(same_path=True), wide=True,
    )


def not_found_page() -> rx.Component:
    return page(
        rx.text("There is nothing at this address. It may have moved, or the link was mistyped."),
        rx.link("Back to the shop", href="/", underline="always"),
        title="Page not found",
    )
