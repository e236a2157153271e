"""My orders (with pending claims) and the claim form."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.components.forms import alert, field_error, invalid_attrs, status, submit
from storefront.components.layout import page
from storefront.components.visit import loaded
from storefront.state.account import AccountState
from storefront.state.auth import AuthState
from storefront.state.claim import ClaimState

# These pages show a customer's own things: nothing until this visit's load has confirmed who is logged in
# (a logged-out visitor is sent to log in without seeing the form first).
SIGNED_IN = loaded() & AuthState.logged_in


def order_row(order: rx.Var) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.flex(rx.text("Order ID", size="2", color_scheme="gray", high_contrast=True),
                        rx.link(rx.code(order.id, class_name="wrap-anywhere"), href=order.href,
                                aria_label=f"Order {order.id}: details and history"),
                        rx.button("Copy", size="1", variant="soft", high_contrast=True,
                                  on_click=rx.set_clipboard(order.id), aria_label="Copy order ID"),
                        spacing="2", wrap="wrap", align="center"),
                rx.text(order.contents, size="2"),
                rx.text("Placed ", order.date, " with ", order.email, size="1", color_scheme="gray",
                        high_contrast=True, class_name="wrap-anywhere"),
                spacing="1",
            ),
            rx.text(order.total, weight="bold"),
            justify="between", spacing="3", wrap="wrap",
        ),
        custom_attrs={"data-testid": "order-row"}, width="100%",
    )


def claim_row(claim: rx.Var) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(rx.text("Orders: ", rx.code(claim.orders), size="2", class_name="wrap-anywhere"),
                      rx.text("Link sent to ", claim.email, ", valid until ", claim.expires, size="1",
                              color_scheme="gray", high_contrast=True, class_name="wrap-anywhere"),
                      spacing="1", min_width="0"),
            rx.hstack(
                rx.button("Send again", variant="soft", high_contrast=True, custom_attrs={"data-announce": "true"},
                          on_click=AccountState.resend_claim(claim.id)),
                rx.button("Cancel claim", variant="soft", color_scheme="red", high_contrast=True,
                          custom_attrs={"data-announce": "true"}, on_click=AccountState.cancel_claim(claim.id)),
                spacing="2", wrap="wrap",
            ),
            justify="between", spacing="3", wrap="wrap", align="center",
        ),
        custom_attrs={"data-testid": "claim-row"}, width="100%",
    )


def account_page() -> rx.Component:
    return page(
        rx.text("Logged in as ", rx.text.strong(AuthState.customer_email), margin_bottom="12px"),
        status(AccountState.message),
        alert(AccountState.error),
        rx.flex(rx.heading("My orders", as_="h2", size="5"),
                rx.link("Claim an order", href=routes.CLAIM, underline="always"),
                justify="between", align="center", margin_y="12px"),
        rx.cond(AccountState.orders.length() > 0,
                rx.vstack(rx.foreach(AccountState.orders, order_row), width="100%"),
                rx.text("No orders yet", color_scheme="gray")),
        rx.cond(AccountState.claims.length() > 0,
                rx.vstack(rx.heading("Pending claims", as_="h2", size="5", margin_top="24px"),
                          rx.foreach(AccountState.claims, claim_row), width="100%")),
        rx.text("Quote the order ID (order_…) when you contact us or claim an order.", size="1",
                color_scheme="gray", high_contrast=True, margin_top="16px"),
        title="Your account", ready=SIGNED_IN,  # the tab's title says the same (storefront.py)
    )


def claim_page() -> rx.Component:
    error = ClaimState.field_errors.get("order_ids", "")
    return page(
        rx.text("Ordered as a guest before you had an account? Enter the order IDs from your confirmation "
                "emails. We email a confirmation link to the address each order was placed with.",
                margin_bottom="12px"),
        rx.form(
            rx.vstack(
                rx.el.label("Order IDs", html_for="field-order_ids", style={"fontWeight": 500}),
                rx.text_area(id="field-order_ids", name="order_ids", placeholder="order_01J...", rows="4",
                             key=ClaimState.sent_round,
                             width="100%", custom_attrs=invalid_attrs(error, "field-order_ids-error",
                                                                      "field-order_ids-hint")),
                rx.text("One or more IDs, separated by spaces, commas or new lines (at most 20).", size="1",
                        color_scheme="gray", high_contrast=True, id="field-order_ids-hint"),
                field_error(error, "field-order_ids-error", True),
                alert(ClaimState.error),
                status(ClaimState.message, rx.box(
                    rx.text("Asked for:", size="2", weight="medium"),
                    rx.el.ul(rx.foreach(ClaimState.sent_ids, lambda order_id: rx.el.li(
                        rx.el.code(order_id, class_name="wrap-anywhere", style={"fontSize": "13px"}))),
                        style={"margin": 0, "paddingLeft": "20px"}),
                )),
                submit("Claim orders", ClaimState.submitting),
                spacing="2", max_width="560px",
            ),
            on_submit=ClaimState.submit, reset_on_submit=False,
        ),
        rx.link("Back to My orders", href=routes.ACCOUNT, margin_top="16px", display="block", underline="always"),
        title="Claim an order", ready=SIGNED_IN,
    )
