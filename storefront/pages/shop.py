"""Catalog, cart, checkout and order-confirmed pages."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.components.forms import alert, field, submit
from storefront.components.layout import page
from storefront.state.auth import AuthState
from storefront.state.checkout import CheckoutState
from storefront.state.shop import CartState, CatalogState

COUNTRIES = [("us", "United States"), ("de", "Germany"), ("fr", "France"), ("gb", "United Kingdom"),
             ("nl", "Netherlands"), ("dk", "Denmark"), ("es", "Spain"), ("it", "Italy")]


def product_card(product: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.image(src=product["thumbnail"], alt="", width="100%", height="auto", border_radius="8px"),
            rx.heading(product["title"], as_="h2", size="4"),
            rx.text(product["description"], size="2", color_scheme="gray"),
            rx.cond(product["options"] != "", rx.text("Sizes: ", product["options"], size="1", color_scheme="gray")),
            rx.hstack(
                rx.text(product["price"], weight="bold", size="4"),
                rx.button("Add to cart", on_click=CartState.add(product["variant_id"], product["title"])),
                justify="between", align="center", width="100%",
            ),
            spacing="2", height="100%",
        ),
        custom_attrs={"data-testid": "product-card"},
    )


def catalog_page() -> rx.Component:
    return page(
        rx.text("Everyday basics, made to last. Check out as a guest, claim the order later.", margin_bottom="16px"),
        alert(CartState.error),
        rx.grid(rx.foreach(CatalogState.products, product_card), columns=rx.breakpoints(initial="1", sm="2", md="3"),
                spacing="4", width="100%"),
        title="Shop",
    )


def cart_line(line: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.hstack(rx.image(src=line["thumbnail"], alt="", width="48px", border_radius="4px"),
                                rx.vstack(rx.text(line["title"], weight="medium"),
                                          rx.text(line["variant"], size="1", color_scheme="gray"), spacing="0"))),
        rx.table.cell(rx.text(line["price"])),
        rx.table.cell(
            rx.el.select(
                rx.foreach([str(n) for n in range(1, 11)], lambda n: rx.el.option(n, value=n)),
                value=line["quantity"], aria_label="Quantity",
                on_change=lambda value: CartState.set_quantity(line["id"], value),
            )
        ),
        rx.table.cell(rx.text(line["total"], weight="medium")),
        rx.table.cell(rx.button("Remove", variant="ghost", color_scheme="red",
                                on_click=CartState.remove(line["id"]))),
    )


def cart_page() -> rx.Component:
    return page(
        alert(CartState.error),
        rx.cond(
            CartState.lines.length() > 0,
            rx.vstack(
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                                   ("Item", "Price", "Quantity", "Total", "")])),
                    rx.table.body(rx.foreach(CartState.lines, cart_line)),
                    width="100%",
                ),
                rx.vstack(
                    rx.text("Subtotal: ", CartState.subtotal),
                    rx.text("Shipping: ", CartState.shipping),
                    rx.text("Total: ", CartState.total, weight="bold", size="5"),
                    rx.button(rx.link("Checkout", href=routes.CHECKOUT, underline="none"), as_child=True, size="3"),
                    align="end", width="100%",
                ),
                width="100%", spacing="4",
            ),
            rx.vstack(rx.text("Your cart is empty."), rx.link("Browse the shop", href=routes.HOME)),
        ),
        title="Cart",
    )


def country_select() -> rx.Component:
    return rx.box(
        rx.el.label("Country", html_for="field-country_code", style={"fontWeight": 500, "fontSize": "14px"}),
        rx.el.select(
            *[rx.el.option(name, value=code) for code, name in COUNTRIES],
            id="field-country_code", name="country_code", default_value="us",
            style={"display": "block", "width": "100%", "padding": "8px", "marginTop": "4px",
                   "borderRadius": "6px", "border": f"1px solid {rx.color('gray', 7)}"},
        ),
        width="100%",
    )


def checkout_page() -> rx.Component:
    errors = CheckoutState.field_errors
    return page(
        rx.cond(
            CartState.item_count > 0,
            rx.form(
                rx.vstack(
                    rx.cond(AuthState.logged_in,
                            rx.text("Logged in as ", AuthState.customer_email, ": this order joins your account.")),
                    field("Email", "email", error=errors.get("email", ""), type_="email", autocomplete="email",
                          default_value=AuthState.customer_email),
                    field("Full name", "full_name", error=errors.get("full_name", ""), autocomplete="name"),
                    field("Address", "address_1", error=errors.get("address_1", ""), autocomplete="street-address"),
                    rx.flex(field("City", "city", error=errors.get("city", ""), autocomplete="address-level2"),
                            field("Postal code", "postal_code", error=errors.get("postal_code", ""),
                                  autocomplete="postal-code"),
                            spacing="3", width="100%", direction=rx.breakpoints(initial="column", sm="row")),
                    country_select(),
                    rx.text("Payment: demo only, nothing is charged. Total ", CartState.total, size="2"),
                    alert(CheckoutState.error),
                    submit("Place order", CheckoutState.submitting),
                    spacing="3", max_width="520px",
                ),
                on_submit=CheckoutState.submit,
            ),
            rx.vstack(rx.text("Your cart is empty."), rx.link("Browse the shop", href=routes.HOME)),
        ),
        title="Checkout",
    )


def order_confirmed_page() -> rx.Component:
    return page(
        rx.cond(
            CheckoutState.last_order_id != "",
            rx.vstack(
                rx.text("Thank you! Your order ID is"),
                rx.code(CheckoutState.last_order_id, size="6", custom_attrs={"data-testid": "order-id"}),
                rx.text("A confirmation email is on its way to ", rx.text.strong(CheckoutState.last_order_email),
                        ". Total paid (demo): ", CheckoutState.last_order_total, "."),
                rx.text("Keep the order ID: after you create an account you can claim this order from it."),
                rx.hstack(rx.link("Keep shopping", href=routes.HOME),
                          rx.link("Create an account", href=routes.REGISTER)),
                spacing="3", custom_attrs={"role": "status"},
            ),
            rx.text("No order was placed in this tab yet. ", rx.link("Go to the shop", href=routes.HOME)),
        ),
        title="Order confirmed",
    )
