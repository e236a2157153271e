"""The Alembic migrations build exactly the schema the models describe."""

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from storefront.db import make_engine
from storefront.migrate import ROOT, upgrade
from storefront.models import Product
from storefront.services.catalog import DEMO_PRODUCTS


def test_migrations_match_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    upgrade(url)  # a second start is a no-op
    engine = make_engine(url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_workers_starting_together_migrate_and_seed_once(tmp_path):
    # With REDIS_URL, Reflex starts several backend workers and each runs the startup task.
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    env = {**os.environ, "DATABASE_URL": url, "STOREFRONT_SECRET_KEYS": "k"}
    workers = [subprocess.Popen([sys.executable, "-m", "storefront.migrate"], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(4)]
    outputs = [worker.communicate(timeout=120)[0].decode() for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0, 0, 0], outputs
    assert sum("seeded" in output for output in outputs) == 1
    engine = make_engine(url)
    with Session(engine) as session:
        assert len(session.exec(select(Product)).all()) == len(DEMO_PRODUCTS)
    engine.dispose()
