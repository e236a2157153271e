"""Database engine and sessions for the services (no Reflex here)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from storefront.config import get_settings

BUSY_TIMEOUT = 15  # seconds a SQLite transaction waits for the write lock
DB_THREAD_PREFIX = "storefront-sqlite"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite is set up for many concurrent shoppers (see _sqlite_for_concurrent_writers)."""
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT})
        _sqlite_for_concurrent_writers(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_for_concurrent_writers(engine: Engine) -> None:
    """WAL, synchronous=NORMAL and BEGIN IMMEDIATE: what lets one file serve many writers.

    - WAL: a commit appends to the log instead of rewriting pages, and a checkpoint does not block readers.
    - synchronous=NORMAL: a commit no longer waits for fsync (the log is synced at checkpoints); a power cut
      may lose the last commits, never corrupt the file. The rollback journal's fsyncs were 18% of the
      profile, and the write lock is held across them.
    - BEGIN IMMEDIATE: a transaction takes the write lock when it starts, so one that read first cannot fail
      when it then writes after another connection committed (WAL's SQLITE_BUSY_SNAPSHOT), and a second
      worker process waits for the lock (busy timeout) instead of failing. The price: every transaction,
      reads included, takes its turn, so several worker processes on one SQLite file queue even their page
      loads behind each other's writes (PostgreSQL is the database for several workers). Within a process no
      thread sleeps in SQLite's busy handler (1, 2, 5, 10... ms): the runner queues database work on one
      thread (runner.arun, and runner.transaction for each step of a flow), and it and the mail courier take
      turns through a lock, which nothing holds across a password hash (runner.run_steps).
    """

    @event.listens_for(engine, "connect")
    def _sqlite_setup(dbapi_conn, _record):  # pragma: no cover - trivial
        dbapi_conn.isolation_level = None  # the driver's own implicit BEGIN off: _begin says how
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")  # stays "memory" for an in-memory database
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # Threads of this process (the database thread, the mail courier) take turns through a lock instead: woken
    # the moment the holder is done. It is taken with the write lock and given back when the connection returns
    # to the pool, after its COMMIT or ROLLBACK (an engine's "commit" event fires before the COMMIT runs).
    turn = threading.Lock()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # pragma: no cover - trivial
        # The wait is bounded like SQLite's own (a thread holding two transactions must not wait forever).
        if not conn.info.get("turn") and turn.acquire(timeout=BUSY_TIMEOUT):
            conn.info["turn"] = True
        # Straight to the driver: SQLAlchemy's statement path (an execution context, events, a result) for a
        # statement that returns nothing cost as much as the BEGIN itself, once per transaction.
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE")

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_conn, record):  # pragma: no cover - trivial
        if record is not None and record.info.pop("turn", False):
            turn.release()


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for DATABASE_URL."""
    return make_engine(get_settings().database_url)


def db_executor() -> ThreadPoolExecutor | None:
    """Where the runner runs database work: one thread for SQLite, asyncio's default pool otherwise.

    SQLite has one writer at a time. Six threads (asyncio's default pool here) racing for its lock each sleep in
    its busy handler (1, 2, 5, 10... ms), and that queueing was most of add-to-cart's time and its tail; one
    thread takes the work in order with no sleeping. PostgreSQL locks rows, so its transactions run in parallel.
    """
    return _executor_for(get_settings().database_url)


@lru_cache
def _executor_for(url: str) -> ThreadPoolExecutor | None:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix=DB_THREAD_PREFIX) if is_sqlite(url) else None


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
