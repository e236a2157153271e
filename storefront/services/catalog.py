"""The product catalog and its demo seed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from storefront.models import Product, Variant
from storefront.services import inputs
from storefront.services.errors import NotFound

MAX_HANDLE = 100  # the handle column's width


@dataclass(frozen=True)
class ProductView:
    id: str
    handle: str
    title: str
    description: str
    thumbnail: str
    variants: list[Variant]
    image_alt: str = ""

    @property
    def has_sizes(self) -> bool:
        """A product in several variants asks which one (its variants are its sizes)."""
        return len(self.variants) > 1


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

# What each product's picture shows, for people who cannot see it (the product page's alt text; on a card
# the picture sits beside the product's name and description and is decoration there).
PICTURES = {
    "classic-tee": "A navy crew-neck T-shirt, laid flat.",
    "hoodie": "A grey hoodie with a full-length zip and a kangaroo pocket.",
    "sweatpants": "Charcoal sweatpants with a drawstring waist and cuffed ankles.",
    "cap": "A sand-coloured canvas cap with a curved peak and a brass buckle.",
    "mug": "A white enamel mug with a dark blue rim and handle.",
    "tote": "A natural canvas tote bag with two long handles.",
    "socks": "A pair of red and cream wool socks.",
    "notebook": "A closed dark green A5 notebook with an elastic band.",
}


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
    views = [_view(p, by_product.get(p.id, [])) for p in page]
    return views, len(products)


def _view(product: Product, variants: list[Variant]) -> ProductView:
    return ProductView(id=product.id, handle=product.handle, title=product.title, description=product.description,
                       thumbnail=product.thumbnail, variants=variants,
                       image_alt=PICTURES.get(product.handle, f"A picture of the {product.title}."))


def get_product(*, session: Session, handle: object) -> ProductView:
    """The product with this handle and its variants (sorted as the catalog sorts them).

    Raises:
        NotFound: No product has that handle (anything but a short string is not looked up).
    """
    found = None
    if isinstance(handle, str) and 0 < len(handle) <= MAX_HANDLE and inputs.is_clean_unicode(handle):
        found = session.exec(select(Product).where(Product.handle == handle)).first()
    if found is None:
        raise NotFound("We could not find that product. It may have been taken out of the shop.")
    variants = session.exec(select(Variant).where(Variant.product_id == found.id).order_by(Variant.id)).all()
    return _view(found, list(variants))
