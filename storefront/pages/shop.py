"""The catalog and the cart."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.components.forms import alert
from storefront.components.layout import page, pending
from storefront.components.products import QUANTITIES, add_to_cart_form, picture, thumbnail
from storefront.components.tables import cell, header_cell, row, stack_table
from storefront.components.visit import loaded
from storefront.state import catalog_snapshot
from storefront.state.shop import CartState, CatalogState, ProductCard, product_cards


def product_card(product: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            picture(product),  # decoration on a card: the heading under it names the product (alt="")
            rx.heading(rx.link(product.title, href=product.href, color_scheme="gray", high_contrast=True,
                               underline="hover"), as_="h2", size="4"),
            rx.text(product.description, size="2", color_scheme="gray", high_contrast=True),
            rx.spacer(),
            add_to_cart_form(product, CartState.add, group_id="size-" + product.id,
                             price=rx.text(product.price, weight="bold", size="4")),
            spacing="2", height="100%",
        ),
        custom_attrs={"data-testid": "product-card"},
    )


def catalog_page() -> rx.Component:
    """The products from the first paint on: the build's copy of the catalog, then the live one.

    Only an empty copy (a build without a database) waits for the live catalog behind a placeholder.
    """
    at_build = product_cards(catalog_snapshot.products())
    products = rx.cond(CatalogState.fetched, CatalogState.products, rx.Var.create(at_build)).to(list[ProductCard])
    grid = rx.grid(rx.foreach(products, product_card),
                   columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="4", width="100%")
    return page(
        rx.text("Everyday basics, made to last. Check out as a guest, claim the order later.", class_name="lead"),
        alert(CartState.error),
        grid if at_build else rx.cond(CatalogState.fetched, grid, pending()),
        title="Shop",
    )


def quantity_select(line: rx.Var) -> rx.Component:
    return rx.el.select(
        rx.foreach(QUANTITIES, lambda n: rx.el.option(n, value=n)),
        value=line.quantity, class_name="native-select",
        custom_attrs={"aria-label": "Quantity of " + line.title},
        on_change=lambda value: CartState.set_quantity(line.id, value),
    )


def cart_line(line: rx.Var) -> rx.Component:
    return row(
        cell(rx.hstack(thumbnail(line.thumbnail, width=64, fill=False),
                       rx.text(line.title, weight="medium"),
                       align="center"),
             lead=True),
        cell(line.price, "Price", numeric=True),
        cell(quantity_select(line), "Quantity"),
        cell(rx.text(line.total, weight="medium"), "Total", numeric=True),
        cell(rx.button("Remove", rx.el.span(" ", line.title, class_name="sr-only"), variant="ghost",
                       color_scheme="red", high_contrast=True, on_click=CartState.remove(line.id)),
             "", numeric=True),
    )


def cart_page() -> rx.Component:
    return page(
        alert(CartState.error),
        rx.cond(
            CartState.lines.length() > 0,
            rx.vstack(
                stack_table([header_cell("Item"), header_cell("Price", numeric=True), header_cell("Quantity"),
                             header_cell("Total", numeric=True), header_cell("Remove", hidden=True, numeric=True)],
                            rx.foreach(CartState.lines, cart_line), caption="Items in your cart"),
                rx.vstack(
                    rx.text("Subtotal: ", CartState.subtotal),
                    rx.text("Shipping: ", CartState.shipping),
                    rx.text("Total: ", CartState.total, weight="bold", size="5"),
                    rx.button(rx.link("Checkout", href=routes.CHECKOUT, underline="none"), as_child=True, size="3"),
                    align="end", width="100%",
                ),
                width="100%", spacing="4",
            ),
            rx.vstack(rx.text("Your cart is empty."), rx.link("Browse the shop", href=routes.HOME, underline="always")),
        ),
        title="Cart", ready=loaded(),
    )
