"""One product: its picture, description, price, Size where it has sizes, Quantity and Add to cart.

Each product in the catalog at build time has a page of its own (`/products/<handle>`) that shows the build's copy
from the first paint until the page's load has run; any other handle goes to the one page that shows only what
its load found (a product added since the build).
"""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.components.forms import alert
from storefront.components.layout import page
from storefront.components.products import add_to_cart_form, picture
from storefront.components.visit import loaded
from storefront.state.product import ProductState
from storefront.state.shop import CartState, ProductCard


def product_details(product: rx.Var) -> rx.Component:
    return rx.grid(
        picture(product, alt=product.alt),
        rx.vstack(
            rx.text(product.description, size="4"),
            rx.text(product.price, weight="bold", size="6"),
            alert(CartState.error),
            add_to_cart_form(product, CartState.add, group_id="size", quantity_id="field-quantity"),
            rx.link("Back to the shop", href=routes.HOME, underline="always"),
            spacing="4", width="100%",
        ),
        columns=rx.breakpoints(initial="1", sm="2"), spacing="6", width="100%",
    )


def found_or_missing(product: rx.Var) -> rx.Component:
    """The product, or why there is none once this visit's load has found none."""
    return rx.cond(loaded() & (ProductState.missing != ""),
                   rx.vstack(rx.text(ProductState.missing, custom_attrs={"role": "alert"}),
                             rx.link("Back to the shop", href=routes.HOME, underline="always")),
                   product_details(product))


LIVE_HEADING = rx.cond(ProductState.missing != "", "Product not found", ProductState.product.title)


def product_page() -> rx.Component:
    """The page of a product the build did not know: a placeholder until its load has run."""
    return page(found_or_missing(ProductState.product), title=rx.cond(loaded(), LIVE_HEADING, "Product"),
                ready=loaded())


def known_product_page(known: ProductCard):
    """The page of a product the build knew: its copy at first paint, the live product once loaded.

    One form throughout, fed first by the copy and then by the live product: a size chosen while the page
    connects stays chosen (a second form in its place would start again from the first size).
    """

    def component() -> rx.Component:
        product = rx.cond(loaded(), ProductState.product, rx.Var.create(known)).to(ProductCard)
        return page(found_or_missing(product), title=rx.cond(loaded(), LIVE_HEADING, known.title))

    component.__name__ = f"product_page_{known.id}"
    return component
