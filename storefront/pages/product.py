"""One product: its picture, description, price, Size where it has sizes, Quantity and Add to cart."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.components.forms import alert
from storefront.components.layout import page
from storefront.components.products import add_to_cart_form, picture
from storefront.components.visit import loaded
from storefront.state.product import ProductState
from storefront.state.shop import CartState


def product_page() -> rx.Component:
    product = ProductState.product
    found = rx.grid(
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
    return page(
        rx.cond(ProductState.missing != "",
                rx.vstack(rx.text(ProductState.missing, custom_attrs={"role": "alert"}),
                          rx.link("Back to the shop", href=routes.HOME, underline="always")),
                found),
        title=rx.cond(loaded(),
                      rx.cond(ProductState.missing != "", "Product not found", product.title), "Product"),
        ready=loaded(),
    )
