"""Instances that start at once take turns to migrate: one lock per database server on PostgreSQL (any number of
machines), a lock file on SQLite (one machine).

Each "machine" here is a process with a temporary folder of its own (TMPDIR), which is where a lock file lives.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import time

import psycopg
import pytest
from sqlalchemy import inspect

from bench import servers
from bench.app_process import ROOT
from storefront.db import make_engine
from storefront.migrate import MIGRATION_LOCK_KEY, one_at_a_time


def _machine(tmp_path, name: str, url: str, *args: str) -> subprocess.Popen:
    """A process as another machine would run it: its own temporary folder, the same DATABASE_URL."""
    folder = tmp_path / name
    folder.mkdir()
    env = {**os.environ, "TMPDIR": str(folder), "DATABASE_URL": url,
           "STOREFRONT_SECRET_KEYS": "migrate-lock-test-key"}
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _tables(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _lock_is_free(url: str) -> bool:
    """Whether another session could take the migration lock now (taken and given back at once)."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as probe:
        taken = probe.execute("SELECT pg_try_advisory_lock(%s)", (MIGRATION_LOCK_KEY,)).fetchone()[0]
        if taken:
            probe.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
        return taken


def _someone_waits_for_the_lock(url: str) -> bool:
    """Whether a session is queued on the migration lock (pg_locks splits a bigint key into two oids)."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as probe:
        (waiting,) = probe.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND classid = %s::bigint::oid AND objid = %s::bigint::oid AND objsubid = 1",
            (MIGRATION_LOCK_KEY >> 32, MIGRATION_LOCK_KEY & 0xFFFF_FFFF)).fetchone()
        return waiting > 0


def test_a_release_step_on_another_machine_waits_while_one_machine_migrates(postgres_url, tmp_path):
    url = servers.create_database(postgres_url, "migrate_lock_wait")
    with one_at_a_time(url):  # this process is "migrating"
        other = _machine(tmp_path, "machine-b", url, "-m", "storefront.migrate")
        deadline = time.monotonic() + 60
        while not _someone_waits_for_the_lock(url):  # the other machine has started and reached the lock
            assert other.poll() is None, other.communicate()[0]  # it must not have migrated past it
            assert time.monotonic() < deadline, "the other machine never asked for the lock"
            time.sleep(0.1)
        assert other.poll() is None, other.communicate()[0]
        assert _tables(url) == []  # it did not touch the database meanwhile
    output, _ = other.communicate(timeout=120)
    assert other.returncode == 0, output
    assert {"order", "claimrequest", "outboxmessage", "product"} <= set(_tables(url))


def test_a_machine_killed_while_holding_the_lock_does_not_stop_the_others(postgres_url, tmp_path):
    url = servers.create_database(postgres_url, "migrate_lock_kill")
    holder = _machine(tmp_path, "machine-a", url, "-c", (
        "import sys, time\n"
        "from storefront.migrate import one_at_a_time\n"
        f"with one_at_a_time({url!r}):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(600)\n"
    ))
    assert holder.stdout.readline().strip() == "held"
    assert not _lock_is_free(url)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(10)
    deadline = time.monotonic() + 10
    while not _lock_is_free(url):  # the server ends the dead process's session and frees its lock
        assert time.monotonic() < deadline, "the dead process's lock was never released"
        time.sleep(0.1)
    migrate = _machine(tmp_path, "machine-b", url, "-m", "storefront.migrate")
    output, _ = migrate.communicate(timeout=120)
    assert migrate.returncode == 0, output


def test_several_machines_starting_at_once_migrate_and_seed_once(postgres_url, tmp_path):
    url = servers.create_database(postgres_url, "migrate_lock_many")
    machines = [_machine(tmp_path, f"machine-{n}", url, "-m", "storefront.migrate") for n in range(4)]
    outputs = [machine.communicate(timeout=180)[0] for machine in machines]
    assert [machine.returncode for machine in machines] == [0] * 4, outputs
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as check:
        (products,) = check.execute("SELECT count(*) FROM product").fetchone()
        (handles,) = check.execute("SELECT count(DISTINCT handle) FROM product").fetchone()
    assert products == handles > 0  # each demo product once
    assert sum("seeded" in output for output in outputs) == 1


def test_sqlite_takes_a_lock_file_on_this_machine(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with one_at_a_time(f"sqlite:///{tmp_path / 'shop.db'}"):
        (lock_path,) = tmp_path.glob("storefront-migrate-*.lock")
        with lock_path.open("a") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another process on this machine would wait
