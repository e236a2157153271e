"""One product's page, found by the handle in its URL (/products/<handle>)."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.services import catalog
from storefront.services.errors import NotFound
from storefront.services.runner import arun
from storefront.state.shop import ProductCard, product_card


class ProductState(rx.State):
    product: ProductCard = ProductCard()
    missing: str = ""  # why there is no product to show ("" when there is one)

    @rx.var
    def page_title(self) -> str:
        """The browser tab's title: the product's name once it is known."""
        name = "Product not found" if self.missing else (self.product.title or "Product")
        return f"{name} · Storefront"

    @rx.event
    async def load(self):
        self.product, self.missing = ProductCard(), ""
        try:
            found = await arun(catalog.get_product, handle=routes.product_handle(self.router.url.path))
        except NotFound as exc:
            self.missing = exc.message
            return
        if not found.variants:
            self.missing = "This product cannot be bought at the moment."
            return
        self.product = product_card(found)
