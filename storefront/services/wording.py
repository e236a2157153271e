"""How the shop names things the same way on every page, in every email and in the API."""

from __future__ import annotations


def line_title(product: str, size: str = "") -> str:
    """A cart or order line's name: "Classic T-Shirt, size S", or the product alone when it has one size.

    Args:
        product: the product's title.
        size: the chosen size, "" for a product that comes in one size only.
    """
    return f"{product}, size {size}" if size else product
