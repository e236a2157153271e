"""Apply the Alembic migrations (called on startup and by tests), then seed the demo catalog."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic.config import Config

from alembic import command
from storefront.db import make_engine, session_scope
from storefront.services import catalog

ROOT = Path(__file__).resolve().parent.parent
logger = logging.getLogger(__name__)


def alembic_config(url: str) -> Config:
    """Alembic's config for this repo, pointed at `url`."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False
    return config


def upgrade(url: str) -> None:
    """Bring the database at `url` to the newest schema."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def prepare_database(url: str) -> None:
    """Migrate, then add the demo products on first start."""
    upgrade(url)
    with session_scope() as session:
        added = catalog.seed_demo_catalog(session=session)
    if added:
        logger.info("seeded %d demo products", added)


if __name__ == "__main__":
    from storefront.config import get_settings

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    prepare_database(get_settings().database_url)
