"""Catalog and cart states. The cart lives in the database; the browser keeps only its ID."""

from __future__ import annotations

import dataclasses

import reflex as rx

from storefront import routes
from storefront.mail.render import money
from storefront.services import carts, catalog
from storefront.services.errors import CartNotUsable, NotFound, StorefrontError
from storefront.services.runner import arun
from storefront.services.wording import line_title
from storefront.state.forms import UNREADABLE, form_values, text_arg


@dataclasses.dataclass
class SizeChoice:
    id: str = ""
    title: str = ""


@dataclasses.dataclass
class ProductCard:
    """What a card or a product page shows of a product; the first variant is the one selected at first."""

    id: str = ""
    handle: str = ""
    title: str = ""
    description: str = ""
    thumbnail: str = ""
    alt: str = ""
    href: str = ""
    price: str = ""
    first_variant_id: str = ""
    has_sizes: bool = False
    variants: list[SizeChoice] = dataclasses.field(default_factory=list)


def product_card(product: catalog.ProductView) -> ProductCard:
    first = product.variants[0]
    return ProductCard(
        id=product.id, handle=product.handle, title=product.title, description=product.description,
        thumbnail=product.thumbnail, alt=product.image_alt, href=routes.product_path(product.handle),
        price=money(first.price, first.currency_code), first_variant_id=first.id, has_sizes=product.has_sizes,
        variants=[SizeChoice(id=v.id, title=v.title) for v in product.variants],
    )


def product_cards(products: list[catalog.ProductView] | tuple[catalog.ProductView, ...]) -> list[ProductCard]:
    """The products a shopper can buy (those with a variant), as cards."""
    return [product_card(p) for p in products if p.variants]


class CatalogState(rx.State):
    # Empty until load_products: the catalog page shows the build's copy (pages/shop.py) meanwhile, compiled into
    # the page itself, so no visitor's state carries it and no other page's hydrate sends it.
    products: list[ProductCard] = []
    fetched: bool = False  # whether `products` is the live catalog yet

    @rx.event
    async def load_products(self):
        found, _ = await arun(catalog.list_products)
        self.products, self.fetched = product_cards(found), True


@dataclasses.dataclass
class CartLineRow:
    """A cart line as the cart and the checkout summary show it."""

    id: str = ""
    title: str = ""
    thumbnail: str = ""
    quantity: str = ""
    price: str = ""
    total: str = ""


class CartState(rx.State):
    cart_id: str = rx.LocalStorage("", name="sf_cart_id")
    lines: list[CartLineRow] = []
    item_count: int = 0
    subtotal: str = ""
    shipping: str = ""
    total: str = ""
    error: str = ""
    notice: str = ""  # what the last Add to cart added, said under that product's button
    added_product: str = ""  # which product's form it was

    def _show(self, view: carts.CartView | None) -> None:
        lines = view.lines if view else []
        self.lines = [
            CartLineRow(id=str(line.id), title=line.name, thumbnail=line.thumbnail, quantity=str(line.quantity),
                        price=money(line.unit_price), total=money(line.total))
            for line in lines
        ]
        self.item_count = view.item_count if view else 0
        self.subtotal = money(view.subtotal) if view else money(0)
        self.shipping = ("Free" if view and view.shipping_total == 0 else money(view.shipping_total)) if view else ""
        self.total = money(view.total) if view else money(0)

    @rx.event
    async def load_cart(self):
        self.error = self.notice = self.added_product = ""  # a page's answers stay on that page
        if not self.cart_id:
            self._show(None)
            return
        try:
            view = await arun(carts.get_cart, cart_id=self.cart_id)
        except NotFound:
            view = None
        if view is None or view.cart.completed_at is not None:
            self.cart_id = ""
            view = None
        self._show(view)

    @rx.event
    async def add(self, form: dict):
        """A card's or a product page's form: the size the shopper sees selected, and a quantity."""
        self.error = self.notice = self.added_product = ""
        form = form_values(form) or {}
        variant_id, quantity = text_arg(form.get("variant_id"), 40), text_arg(form.get("quantity", "1"), 3)
        if variant_id is None or quantity is None or not quantity.isascii() or not quantity.isdigit():
            self.error = UNREADABLE
            return
        for _attempt in range(2):
            if not self.cart_id:
                self.cart_id = (await arun(carts.create_cart)).id
            try:
                added = await arun(carts.add_to_cart, cart_id=self.cart_id, variant_id=variant_id,
                                   quantity=int(quantity))
            except (NotFound, CartNotUsable):
                self.cart_id = ""  # stale ID (cart checked out elsewhere): start a new cart once
                continue
            except StorefrontError as exc:
                self.error = exc.message
                return
            # Only what an add changes goes back to the browser: the count and totals, not every line. The pages
            # that list the lines (cart, checkout) show them only after their own load_cart has run (loaded()).
            self.item_count = added.item_count
            self.subtotal, self.total = money(added.subtotal), money(added.total)
            self.shipping = "Free" if added.shipping_total == 0 else money(added.shipping_total)
            self.notice = f"{line_title(added.title, added.size)}{',' if added.size else ''} was added to your cart."
            self.added_product = text_arg(form.get("product_id", ""), 40) or ""
            return
        self.error = "We could not add that to your cart. Reload the page and try again."

    @rx.event
    async def set_quantity(self, line_id: str, quantity: str):
        await self._set_quantity(line_id, quantity)

    @rx.event
    async def remove(self, line_id: str):
        await self._set_quantity(line_id, "0")

    async def _set_quantity(self, line_id: object, quantity: object) -> None:
        self.error = ""
        line_id, quantity = text_arg(line_id, 12), text_arg(quantity, 3)
        if line_id is None or quantity is None or not line_id.isascii() or not line_id.isdigit():
            self.error = UNREADABLE
            return
        if not quantity.isascii() or not quantity.isdigit():
            self.error = "Quantity must be a whole number."
            return
        try:
            view = await arun(carts.set_quantity, cart_id=self.cart_id, line_id=int(line_id),
                              quantity=int(quantity))
        except StorefrontError as exc:
            self.error = exc.message
            return
        self._show(view)
