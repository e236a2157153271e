"""Apply the Alembic migrations (called on startup and by tests), then seed the demo catalog."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

from alembic.config import Config
from sqlmodel import Session

from alembic import command
from storefront.db import make_engine
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


@contextlib.contextmanager
def one_at_a_time(url: str) -> Iterator[None]:
    """Hold this machine's lock for the database at `url`.

    Every backend worker runs the startup task, and with REDIS_URL Reflex starts several at once:
    unlocked, they would all create the same tables and seed the same products.
    """
    name = hashlib.sha256(url.encode()).hexdigest()[:16]
    with (Path(tempfile.gettempdir()) / f"storefront-migrate-{name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


def prepare_database(url: str) -> None:
    """Migrate, then add the demo products on first start; safe to call from several processes at once."""
    with one_at_a_time(url):
        upgrade(url)
        engine = make_engine(url)
        try:
            with Session(engine) as session:
                added = catalog.seed_demo_catalog(session=session)
                session.commit()
        finally:
            engine.dispose()
    if added:
        logger.info("seeded %d demo products", added)


if __name__ == "__main__":
    from storefront.config import get_settings

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    prepare_database(get_settings().database_url)
