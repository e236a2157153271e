"""Apply the Alembic migrations (called on startup, by the release step and by tests), then seed the demo catalog.

`python -m storefront.migrate` is the release step of docs/deployment.md: it migrates and seeds the database of
DATABASE_URL, and every app instance does the same on startup, so instances that start at once take turns.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from alembic import command
from storefront.db import is_sqlite, make_engine
from storefront.services import catalog

ROOT = Path(__file__).resolve().parent.parent
logger = logging.getLogger(__name__)
# PostgreSQL's advisory locks are named by one bigint shared by every client of the server: this one is
# "storefront-migrate" to whoever reads pg_locks (the bytes of "sfmigrat").
MIGRATION_LOCK_KEY = int.from_bytes(b"sfmigrat", "big") & 0x7FFF_FFFF_FFFF_FFFF


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
    """Let one process at a time migrate and seed the database at `url`.

    Every backend worker runs the startup task, and with REDIS_URL Reflex starts several at once; several
    machines may start at once too. Unlocked, they would all create the same tables and seed the same products.
    PostgreSQL: an advisory lock on the server, which every machine sees. SQLite: a lock file, since a SQLite
    database lives on one machine anyway.
    """
    lock = _file_lock if is_sqlite(url) else _advisory_lock
    with lock(url):
        yield


@contextlib.contextmanager
def _advisory_lock(url: str) -> Iterator[None]:
    """Hold PostgreSQL's session-level advisory lock MIGRATION_LOCK_KEY on a connection of its own.

    The server releases it when that connection ends, so a process killed mid-migration never leaves the
    lock held (its migration's own transaction rolls back as well). The connection commits each statement
    (AUTOCOMMIT) so it does not sit idle in a transaction while another connection migrates.
    """
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
    finally:
        engine.dispose()


@contextlib.contextmanager
def _file_lock(url: str) -> Iterator[None]:
    """Hold this machine's lock file for the database at `url`."""
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
