"""Checkout (the summary beside the form) and the order-confirmed receipt."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.components.forms import alert, error_summary, field, field_error, field_label, submit
from storefront.components.layout import page
from storefront.components.order_summary import summary_box, summary_line
from storefront.components.visit import loaded
from storefront.state.auth import AuthState
from storefront.state.checkout import COUNTRIES, CheckoutState
from storefront.state.shop import CartState


def country_select(error: rx.Var, alone: rx.Var) -> rx.Component:
    return rx.box(
        field_label("Country", "field-country_code"),
        rx.el.select(
            *[rx.el.option(name, value=code) for code, name in COUNTRIES.items()],
            id="field-country_code", name="country_code", default_value="us", class_name="native-select",
            style={"width": "100%", "marginTop": "4px"},
            custom_attrs={"aria-invalid": rx.cond(error != "", "true", "false"),
                          "aria-describedby": rx.cond(error != "", "field-country_code-error", None)},
        ),
        field_error(error, "field-country_code-error", alone),
        width="100%",
    )


def cart_summary() -> rx.Component:
    lines = rx.foreach(CartState.lines, lambda line: summary_line(
        rx.text(line.title, weight="medium"),
        line.quantity, line.total))
    return summary_box("Order summary", lines, CartState.subtotal, CartState.shipping, CartState.total)


def checkout_form() -> rx.Component:
    errors, alone = CheckoutState.field_errors, CheckoutState.one_field_error

    def checked(label: str, name: str, **props) -> rx.Component:
        return field(label, name, error=errors.get(name, ""), alone=alone, **props)

    return rx.form(
        rx.vstack(
            rx.cond(AuthState.logged_in,
                    rx.text("Logged in as ", AuthState.customer_email, ": this order joins your account.")),
            error_summary(CheckoutState.summary),
            checked("Email", "email", type_="email", autocomplete="email", default_value=AuthState.customer_email),
            checked("Full name", "full_name", autocomplete="name", default_value=AuthState.customer_full_name,
                    hint="One name is fine if that is your whole name."),
            checked("Address", "address_1", autocomplete="street-address"),
            rx.flex(checked("City", "city", autocomplete="address-level2"),
                    checked("Postal code", "postal_code", autocomplete="postal-code"),
                    spacing="3", width="100%", direction=rx.breakpoints(initial="column", sm="row")),
            country_select(errors.get("country_code", ""), alone),
            rx.text("Payment: demo only, nothing is charged.", size="2"),
            alert(CheckoutState.error),
            submit("Place order", CheckoutState.submitting),
            spacing="3", width="100%",
        ),
        on_submit=CheckoutState.submit, reset_on_submit=False,
    )


def checkout_page() -> rx.Component:
    return page(
        rx.cond(
            CartState.item_count > 0,
            rx.grid(
                rx.box(cart_summary(), grid_row=rx.breakpoints(initial="1", md="1"),
                       grid_column=rx.breakpoints(initial="1", md="2")),
                rx.box(checkout_form(), grid_row=rx.breakpoints(initial="2", md="1"),
                       grid_column=rx.breakpoints(initial="1", md="1")),
                columns=rx.breakpoints(initial="1", md="3fr 2fr"), spacing="6", width="100%", align="start",
            ),
            rx.vstack(rx.text("Your cart is empty."), rx.link("Browse the shop", href=routes.HOME, underline="always")),
        ),
        title="Checkout", ready=loaded(),
    )


def receipt() -> rx.Component:
    lines = rx.foreach(CheckoutState.last_order_lines, lambda line: summary_line(
        rx.text(line.title, weight="medium"), line.quantity, line.total))
    return rx.grid(
        summary_box("What you ordered", lines, CheckoutState.last_order_subtotal, CheckoutState.last_order_shipping,
                    CheckoutState.last_order_total),
        rx.card(
            rx.heading("Shipping to", as_="h2", size="4", margin_bottom="4px"),
            rx.el.address(rx.foreach(CheckoutState.last_order_address, lambda part: rx.text(part)),
                          style={"fontStyle": "normal"}, class_name="wrap-anywhere"),
        ),
        columns=rx.breakpoints(initial="1", sm="3fr 2fr"), spacing="4", width="100%", align="start",
    )


def order_confirmed_page() -> rx.Component:
    return page(
        rx.cond(
            CheckoutState.last_order_id != "",
            rx.vstack(
                rx.box(
                    rx.text("Thank you! A confirmation email is on its way to ",
                            rx.text.strong(CheckoutState.last_order_email, class_name="wrap-anywhere"), "."),
                    custom_attrs={"role": "status"},
                ),
                rx.text("Your order ID", weight="medium", id="order-id-label"),
                rx.flex(
                    rx.code(CheckoutState.last_order_id, size="5", id="order-id", class_name="wrap-anywhere",
                            custom_attrs={"data-testid": "order-id"}),
                    rx.button("Copy", variant="soft", high_contrast=True,
                              custom_attrs={"aria-describedby": "order-id-label"},
                              on_click=rx.call_script("window.storefront.copyText('order-id', 'copy-status')")),
                    rx.text("", id="copy-status", size="2", custom_attrs={"aria-live": "polite"}),
                    align="center", spacing="3", wrap="wrap",
                ),
                rx.text("Keep the order ID: once you have an account, you can claim this order into it from "
                        "My orders, with Claim an order."),
                receipt(),
                rx.flex(rx.link("Keep shopping", href=routes.HOME, underline="always"),
                        rx.link("Create an account", href=routes.REGISTER, underline="always"), spacing="4"),
                spacing="4", width="100%",
            ),
            rx.text("No order was placed in this tab yet. ",
                    rx.link("Go to the shop", href=routes.HOME, underline="always")),
        ),
        title="Order confirmed", ready=loaded(),
    )
