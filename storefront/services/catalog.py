"""The product catalog and its demo seed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from storefront.models import Product, Variant


@dataclass(frozen=True)
class ProductView:
    id: str
    handle: str
    title: str
    description: str
    thumbnail: str
    variants: list[Variant]


# (handle, title, description, [(variant title, price in cents)]); thumbnails are assets/products/<handle>.svg
DEMO_PRODUCTS = [
    ("classic-tee", "Classic T-Shirt", "Soft organic cotton, cut for every day.",
     [("S", 1900), ("M", 1900), ("L", 1900)]),
    ("hoodie", "Zip Hoodie", "Heavy fleece with a two-way zip.", [("M", 5400), ("L", 5400)]),
    ("sweatpants", "Sweatpants", "Relaxed fit, tapered leg, deep pockets.", [("M", 3900)]),
    ("cap", "Canvas Cap", "Washed canvas with a brass buckle.", [("One size", 2200)]),
    ("mug", "Enamel Mug", "Camp-style enamel mug, 350 ml.", [("White", 1400)]),
    ("tote", "Tote Bag", "Sturdy canvas tote for the market run.", [("Natural", 1600)]),
    ("socks", "Wool Socks", "Merino blend, two pairs.", [("36-40", 1200), ("41-46", 1200)]),
    ("notebook", "Dot Notebook", "A5, 120 pages of dotted paper.", [("A5", 900)]),
]


def seed_demo_catalog(*, session: Session) -> int:
    """Add the demo products that are missing (idempotent); returns how many were added."""
    added = 0
    for handle, title, description, variants in DEMO_PRODUCTS:
        if session.exec(select(Product).where(Product.handle == handle)).first():
            continue
        product_id = f"prod_{handle.replace('-', '_')}"
        session.add(Product(id=product_id, handle=handle, title=title, description=description,
                            thumbnail=f"/products/{handle}.svg"))
        session.flush()
        for index, (variant_title, price) in enumerate(variants):
            session.add(
                Variant(id=f"variant_{handle.replace('-', '_')}_{index + 1}", product_id=product_id,
                        title=variant_title, price=price)
            )
        added += 1
    session.flush()
    return added


def list_products(*, session: Session, offset: int = 0, limit: int = 100) -> tuple[list[ProductView], int]:
    """Products with their variants, in a stable order, and the total count."""
    products = session.exec(select(Product).order_by(Product.created_at, Product.id)).all()
    page = products[offset: offset + limit]
    variants = session.exec(select(Variant).where(Variant.product_id.in_([p.id for p in page]))).all()
    by_product: dict[str, list[Variant]] = {}
    for variant in sorted(variants, key=lambda v: v.id):
        by_product.setdefault(variant.product_id, []).append(variant)
    views = [
        ProductView(id=p.id, handle=p.handle, title=p.title, description=p.description,
                    thumbnail=p.thumbnail, variants=by_product.get(p.id, []))
        for p in page
    ]
    return views, len(products)
