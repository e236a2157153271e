"""The catalog the pages are built with: what the database held, and nothing (never a failed build) without one."""

from __future__ import annotations

from sqlmodel import Session

from storefront.db import make_engine
from storefront.migrate import prepare_database
from storefront.models import Product, Variant
from storefront.services.catalog import DEMO_PRODUCTS
from storefront.state import catalog_snapshot


def test_no_database_file_builds_without_products_and_leaves_no_file_behind(tmp_path):
    missing = tmp_path / "not-yet.db"
    assert catalog_snapshot.read(f"sqlite:///{missing}") == []
    assert not missing.exists()  # the app's first start must find no empty, unmigrated file in its place


def test_an_unmigrated_database_builds_without_products(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    assert catalog_snapshot.read(f"sqlite:///{empty}") == []


def test_an_unreachable_database_server_builds_without_products():
    assert catalog_snapshot.read("postgresql+psycopg://shop@127.0.0.1:1/shop?connect_timeout=5") == []


def test_a_seeded_database_gives_its_products_in_the_catalogs_order(tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    prepare_database(url)
    found = catalog_snapshot.read(url)
    assert [p.handle for p in found] == [handle for handle, *_ in DEMO_PRODUCTS]
    tee = found[0]
    assert (tee.title, [v.title for v in tee.variants], tee.variants[0].price) == ("Classic T-Shirt",
                                                                                 ["S", "M", "L"], 1900)


def test_a_product_added_before_the_build_is_in_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    prepare_database(url)
    engine = make_engine(url)
    with Session(engine) as session:
        session.add(Product(id="prod_scarf", handle="scarf", title="Knit Scarf", description="Warm.",
                            thumbnail="/products/tote.svg"))
        session.flush()
        session.add(Variant(id="variant_scarf_1", product_id="prod_scarf", title="One size", price=2500))
        session.commit()
    engine.dispose()
    assert "scarf" in [p.handle for p in catalog_snapshot.read(url)]
