"""/verify and /decline: what the link would do, and one button that does it."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.components.forms import alert, status
from storefront.components.history import timeline
from storefront.components.layout import page
from storefront.components.tables import cell, header_cell, row, stack_table
from storefront.components.visit import loaded
from storefront.state.auth import AuthState
from storefront.state.verify import ClaimLinkState, DeclineState, VerifyState


def order_summary(order: rx.Var) -> rx.Component:
    return row(cell(rx.code(order.id, class_name="wrap-anywhere"), lead=True), cell(order.date, "Date"),
               cell(order.total, "Total", numeric=True))


def orders_table(state: type[ClaimLinkState]) -> rx.Component:
    return stack_table([header_cell("Order"), header_cell("Date"), header_cell("Total", numeric=True)],
                       rx.foreach(state.orders, order_summary), caption="Orders in this claim")


def decline_link() -> rx.Component:
    """Offered in every view of a usable link: whoever opens it may be the order email's owner, who did not ask."""
    return rx.link("Not me: decline this claim", href=VerifyState.decline_link, underline="always")


def back_to_shop() -> rx.Component:
    return rx.link("Back to the shop", href=routes.HOME, underline="always")


def next_step() -> rx.Component:
    """What to do about a link that cannot be used, by why it cannot."""
    my_orders = rx.link("Go to My orders", href=routes.ACCOUNT, underline="always")
    return rx.match(
        VerifyState.error_kind,
        ("used", my_orders),
        ("in_account", my_orders),
        ("superseded", my_orders),
        ("other_account", back_to_shop()),
        rx.link("Ask for a new link", href=routes.CLAIM, underline="always"),
    )


def other_account() -> rx.Component:
    """Logged in as someone other than the customer who asked: say who asked, so a stranger can tell."""
    return rx.vstack(
        alert(VerifyState.error),
        rx.text("It was asked for by ", rx.text.strong(VerifyState.requester), "."),
        rx.text("If that was you, switch to that account. If it was not, decline: the orders stay where they are."),
        rx.hstack(
            rx.button("Log out and switch account", on_click=AuthState.switch_account, variant="soft"),
            decline_link(),
            align="center", spacing="4", wrap="wrap",
        ),
        spacing="3", width="100%",
    )


def loading() -> rx.Component:
    return rx.hstack(rx.spinner(), rx.text("Checking the link…"), custom_attrs={"role": "status"})


def verify_page() -> rx.Component:
    summary = rx.vstack(
        rx.text(rx.cond(VerifyState.orders.length() == 1, "This order", "These orders"), ", placed with ",
                rx.text.strong(VerifyState.order_email), ", will join the account of ",
                rx.text.strong(VerifyState.requester), ":"),
        orders_table(VerifyState),
        width="100%", spacing="3",
    )
    return page(
        rx.match(
            VerifyState.phase,
            ("loading", loading()),
            ("error", rx.cond(VerifyState.error_kind == "forbidden", other_account(),
                              alert(VerifyState.error, next_step()))),
            ("login", rx.vstack(
                summary,
                rx.text("Log in as the customer who asked to confirm. Not you? Decline instead."),
                rx.hstack(
                    rx.button(rx.link("Log in to confirm", href=VerifyState.login_link, underline="none"),
                              as_child=True, size="3"),
                    decline_link(),
                    align="center", spacing="4", wrap="wrap",
                ),
                spacing="3", width="100%",
            )),
            ("ready", rx.vstack(
                summary,
                rx.text("Nothing changes until you press the button.", size="2", color_scheme="gray"),
                rx.hstack(
                    rx.button("Confirm claim", size="3", on_click=VerifyState.confirm,
                              loading=VerifyState.submitting, disabled=VerifyState.submitting,
                              custom_attrs={"data-announce": "true"}),
                    decline_link(),
                    align="center", spacing="4", wrap="wrap",
                ),
                spacing="3", width="100%",
            )),
            ("done", rx.vstack(status(VerifyState.message),
                               rx.link("See My orders", href=routes.ACCOUNT, underline="always"), width="100%")),
            loading(),
        ),
        title="Confirm your order claim", ready=loaded(),
    )


def decline_page() -> rx.Component:
    history = rx.cond(DeclineState.events.length() > 0,
                      timeline(DeclineState.events, "Requests for this order"))
    return page(
        rx.match(
            DeclineState.phase,
            ("loading", loading()),
            ("error", rx.vstack(alert(DeclineState.error), history, back_to_shop(), spacing="3", width="100%")),
            ("declined", rx.vstack(status(DeclineState.message), history, back_to_shop(), spacing="3",
                                   width="100%")),
            ("ready", rx.vstack(
                rx.text(rx.text.strong(DeclineState.requester), " asked to add ",
                        rx.cond(DeclineState.orders.length() == 1, "this order", "these orders"), ", placed with ",
                        rx.text.strong(DeclineState.order_email), ", to their account:"),
                orders_table(DeclineState),
                rx.text("If that was not you, decline: the orders stay where they are and nothing else changes.",
                        size="2"),
                # Red 11 under white text: Radix's red 9 is 3.9:1, under the 4.5:1 text needs.
                rx.hstack(
                    rx.button("Decline claim", color_scheme="red", size="3", on_click=DeclineState.decline,
                              loading=DeclineState.submitting, disabled=DeclineState.submitting,
                              background_color=rx.color("red", 11), custom_attrs={"data-announce": "true"}),
                    back_to_shop(),
                    align="center", spacing="4", wrap="wrap",
                ),
                history,
                spacing="3", width="100%",
            )),
            ("done", rx.vstack(status(DeclineState.message), history, back_to_shop(), spacing="3", width="100%")),
            loading(),
        ),
        title="Decline an order claim", ready=loaded(),
    )
