"""The catalog as it stood when the app was built: what the shop and its product pages show at first paint.

Reflex compiles each page's HTML when the app is wired, and `make run` migrates and seeds the database before
that, so the products read here, compiled into the catalog page and a page per product, are in the HTML a phone
gets before any JavaScript runs. The pages' own load events replace this copy with the live catalog.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from storefront.config import get_settings
from storefront.db import is_sqlite, make_engine
from storefront.services import catalog

logger = logging.getLogger(__name__)


def read(database_url: str) -> list[catalog.ProductView]:
    """The products with their variants in the database at `database_url`, in the catalog's order.

    Empty when that database does not exist yet, is not migrated or cannot be reached: a build without a
    database still builds, and its pages then wait for their load events as they would for any new product.
    """
    if is_sqlite(database_url):
        path = make_url(database_url).database or ""
        if path in ("", ":memory:") or not Path(path).is_file():
            return []  # connecting would create an empty file where the app expects its migrated database
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            found, _ = catalog.list_products(session=session)
            return found
    except SQLAlchemyError as exc:
        logger.warning("pages built without the catalog (%s)", exc.__class__.__name__)
        return []
    finally:
        engine.dispose()


@functools.cache
def products() -> tuple[catalog.ProductView, ...]:
    """The catalog of DATABASE_URL, read once per process (the pages are wired once)."""
    return tuple(read(get_settings().database_url))
