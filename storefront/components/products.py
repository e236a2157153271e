"""A product's picture and its Add to cart form (Size where it has sizes), shared by cards and product pages."""

from __future__ import annotations

import reflex as rx

from storefront.components.visit import connected, loaded
from storefront.state.shop import CartState

# Every product picture is drawn at this ratio (assets/products/*.svg are 320 × 200): the space is
# reserved before the picture arrives, so nothing below it jumps.
PICTURE_WIDTH, PICTURE_HEIGHT = 320, 200
QUANTITIES = [str(n) for n in range(1, 11)]


def thumbnail(src: rx.Var, *, alt: rx.Var | str = "", width: int = PICTURE_WIDTH, fill: bool = True) -> rx.Component:
    """A product picture with its size in the markup (width/height attributes and aspect-ratio)."""
    height = width * PICTURE_HEIGHT // PICTURE_WIDTH
    # Its look is a class of assets/storefront.css: in the page's HTML (and its inlined critical CSS) from the first
    # paint, where a style prop only arrives with the JavaScript, and the picture would change size then.
    size = {} if fill else {"style": {"width": f"{width}px"}}
    return rx.el.img(src=src, alt=alt, custom_attrs={"width": str(width), "height": str(height)},
                     class_name="product-picture", **size)


def picture(product: rx.Var, *, alt: rx.Var | str = "") -> rx.Component:
    return thumbnail(product.thumbnail, alt=alt)


def size_choice(product: rx.Var, group_id: rx.Var) -> rx.Component:
    """A labelled radio group of the product's sizes, the first selected: the form sends the one shown."""
    label_id = group_id + "-label"
    return rx.box(
        rx.text("Size", id=label_id, size="2", weight="medium", class_name="field-label"),
        rx.radio_group.root(
            rx.flex(rx.foreach(product.variants, lambda variant: rx.radio_group.item(variant.title,
                                                                                     value=variant.id)),
                    spacing="4", wrap="wrap"),
            name="variant_id", default_value=product.first_variant_id, required=True,
            custom_attrs={"aria-labelledby": label_id},
        ),
    )


def quantity_choice(field_id: str) -> rx.Component:
    return rx.box(
        rx.el.label("Quantity", html_for=field_id, class_name="field-label quantity-label"),
        rx.el.select(rx.foreach(QUANTITIES, lambda n: rx.el.option(n, value=n)), id=field_id, name="quantity",
                     default_value="1", class_name="native-select"),
    )


def add_to_cart_form(product: rx.Var, on_submit, *, group_id: rx.Var, quantity_id: str | None = None,
                     price: rx.Component | None = None) -> rx.Component:
    """Size (where there are several), an optional Quantity, and the button: what is sent is what is shown.

    What was added is said under the button, in the page (not a toast, which on a phone covered the form or
    the header's links, and followed the shopper to the cart and the checkout), and only once this visit's own
    load has run (an add from a page before could still be in the state). The button waits for the websocket
    (`connected()`): a product from the prebuilt page shows before a click can reach the server.
    """
    return rx.form(
        rx.vstack(
            rx.cond(product.has_sizes, size_choice(product, group_id),
                    rx.el.input(type="hidden", name="variant_id", value=product.first_variant_id)),
            rx.el.input(type="hidden", name="product_id", value=product.id),
            quantity_choice(quantity_id) if quantity_id else rx.fragment(),
            rx.flex(price or rx.fragment(), rx.button("Add to cart", type="submit", size="3", disabled=~connected()),
                    justify="between", align="center", width="100%", spacing="3", wrap="wrap"),
            rx.cond(loaded() & (CartState.added_product == product.id),
                    rx.flex(rx.icon("circle-check", size=16, aria_hidden="true", flex_shrink="0"),
                            rx.text(CartState.notice, size="2"),
                            spacing="2", align="center", color=rx.color("grass", 11),
                            custom_attrs={"role": "status"})),
            spacing="3", width="100%",
        ),
        on_submit=on_submit, reset_on_submit=False, width="100%",
    )
