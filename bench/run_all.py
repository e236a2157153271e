"""`make bench`: every load tool against the production app, on SQLite (one worker, page state in memory) and on
PostgreSQL + Redis (several workers, page state in Redis), printing each table as Markdown.

    .venv/bin/python -m bench.run_all            # the default subset, under 10 minutes on 2 cores
    .venv/bin/python -m bench.run_all --full     # the whole matrix (about 25 minutes)
    .venv/bin/python -m bench.run_all --smoke    # every tool with 2 browsers/clients and short runs (the test suite)

With --url (and --database-url, --redis-url, --pgids) it measures an app that is already running, on the one
backend --backends names, instead of starting its own: the test suite points its smoke run at the PostgreSQL +
Redis app its other tests use, rather than building a second one.

Default subset: websocket closed loop at 1, 10 and 50 browsers and 1 event/s at 200 browsers (each with the floor
handler), the adds at carts of 1, 5 and 12 lines against the floor (bench/cart_size.py, SQLite, 10 browsers, and 200
browsers adding once a second);
cold page loads under a phone's throttle (bench/page_load.py, median of 3) and what their JavaScript holds
(bench/bundle.py); REST at 8 and 32 clients;
idle memory at 1,000 browsers; the stall probe for 60 s after 20,000 past
visitors on SQLite, and for 20 s after 2,000 on PostgreSQL + Redis (a visit costs the server a whole page load:
20,000 take about 4 minutes on SQLite here). `--full` adds 1 event/s at 1, 10 and 50 browsers
and the closed loop at 200, probes for 60 s after 20,000 past visitors on both, and add to cart across two app
instances against one (bench/two_instances.py). argon2
(`bench/argon2_verify.py`) and the services' own CPU (`bench/service_cpu.py`) run first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import bundle, cart_size, idle_memory, page_load, report, rest_load, servers, stall_probe, ws_load
from bench.seed import BENCH_SECRET_KEY


@dataclass(frozen=True)
class Plan:
    closed: list[int]
    rate: list[int]
    ws_seconds: float
    rest_clients: list[int]
    rest_seconds: float
    rest_requests: int
    idle_browsers: int
    visitors: dict[str, int]
    stall_seconds: dict[str, float]
    rate_seconds: float = ws_load.RATE_SECONDS  # an open-loop run's shortest length


DEFAULT = Plan([1, 10, 50], [200], 2.5, [8, 32], 2.5, 30, 1000, {"sqlite": 20000, "postgres+redis": 2000},
               {"sqlite": 60, "postgres+redis": 20})
FULL = Plan([1, 10, 50, 200], [1, 10, 50, 200], 5, [8, 32], 5, 60, 1000,
            {"sqlite": 20000, "postgres+redis": 20000}, {"sqlite": 60, "postgres+redis": 60})
SMOKE = Plan([2], [2], 1, [2], 1, 3, 2, {"sqlite": 2, "postgres+redis": 2}, {"sqlite": 1, "postgres+redis": 1}, 1)


@dataclass(frozen=True)
class RunningElsewhere:
    """An app this run did not start (--url): measured as it is, its CPU counted over the given process groups."""

    base_url: str
    pid: int


@contextlib.contextmanager
def backend(name: str, workdir: Path, workers: int | None):
    """(app, database URL, Redis URL or None, the process groups whose CPU counts as the server's)."""
    if name == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
        with servers.app(workdir, url) as app:
            yield app, url, None, [app.pid]
        return
    with servers.postgres() as (db_url, db_pid), servers.redis() as (redis_url, redis_pid), \
            servers.app(workdir, db_url, redis_url, workers) as app:
        yield app, db_url, redis_url, [app.pid, db_pid, redis_pid]


def section(title: str, text: str) -> None:
    print(f"\n#### {title}\n\n{text}", flush=True)


def run_backend(name: str, plan: Plan, workers: int | None, elsewhere: tuple | None = None) -> None:
    """Every tool against one backend: an app started here, or `elsewhere` (app, database URL, Redis URL, pgids)."""
    with tempfile.TemporaryDirectory(prefix="storefront-bench-") as tmp, \
            (contextlib.nullcontext(elsewhere) if elsewhere else backend(name, Path(tmp), workers)) as started:
        measure(name, plan, *started)


def measure(name: str, plan: Plan, app, db_url: str, redis_url: str | None, pgids: list[int]) -> None:
    from bench.capture import capture

    count = len(report.group_pids([app.pid]))
    print(f"\n### {name}: {count} app processes (Reflex's supervisor and its workers)", flush=True)
    frames = capture(app.base_url, db_url)
    started = time.perf_counter()
    load = report.load_average()
    runs = asyncio.run(ws_load.run_matrix(app.base_url, frames, db_url, plan.closed, ["closed"],
                                          list(ws_load.SCENARIOS), plan.ws_seconds, pgids))
    runs += asyncio.run(ws_load.run_matrix(app.base_url, frames, db_url, plan.rate, ["rate"],
                                           list(ws_load.SCENARIOS), plan.ws_seconds, pgids, plan.rate_seconds))
    section(f"Websocket events, {name} (load average {load} → {report.load_average()})",
            report.table(ws_load.HEADERS, [r.row() for r in runs]))
    if name == "sqlite":  # the cart-size table: one worker, as docs/performance.md quotes it
        section("Add to cart by cart size, sqlite",
                cart_size.run(app.base_url, db_url, plan.closed[min(1, len(plan.closed) - 1)],
                              plan.ws_seconds, pgids, frames, rate_browsers=max(plan.rate),
                              rate_seconds=plan.rate_seconds))
        section("Page load, sqlite", page_load.measure(app.base_url, 1 if plan is SMOKE else 3))
        if plan is not SMOKE and getattr(app, "web_dir", None):  # the test suite runs bench/bundle.py on its own
            section("JavaScript by package, sqlite", bundle.measure(app.web_dir))
    load = report.load_average()
    rest = asyncio.run(rest_load.run_matrix(app.base_url, db_url, plan.rest_clients, list(rest_load.ENDPOINTS),
                                            plan.rest_seconds, plan.rest_requests, pgids))
    section(f"REST, {name} (load average {load} → {report.load_average()})",
            report.table(rest_load.HEADERS, [r.row() for r in rest]))
    load = report.load_average()
    row = asyncio.run(idle_memory.measure(app.base_url, frames, plan.idle_browsers, [app.pid], redis_url))
    section(f"Idle browsers, {name} (load average {load})", report.table(idle_memory.HEADERS, [row]))
    load, app_before = report.load_average(), report.rss_bytes([app.pid])
    redis_before = servers.redis_used_memory(redis_url) if redis_url else 0
    speed, rows = asyncio.run(stall_probe.run(app.base_url, frames, plan.visitors[name],
                                               plan.stall_seconds[name], 50))
    # What the past visitors left behind (their page state, until it expires an hour after their last event).
    # RSS growth: a lower bound, as the idle browsers' freed connections are reused first.
    redis_after = servers.redis_used_memory(redis_url) if redis_url else 0
    left = [(report.rss_bytes([app.pid]) - app_before) / plan.visitors[name] / 1024,
            (redis_after - redis_before) / plan.visitors[name] / 1024]
    section(f"Stall probe, {name}: 50 cheap events/s and 50 /ping/s for {plan.stall_seconds[name]:.0f} s after "
            f"{plan.visitors[name]} past visitors ({speed:.0f} visits/s; load average {load} → "
            f"{report.load_average()}); memory they left: app {left[0]:.1f} KiB, Redis {left[1]:.1f} KiB each",
            report.table(stall_probe.HEADERS, rows))
    print(f"\n({name}: {time.perf_counter() - started:.0f} s of measuring)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true")
    mode.add_argument("--smoke", action="store_true")
    parser.add_argument("--backends", default="sqlite,postgres+redis")
    parser.add_argument("--workers", type=int, help="backend workers with Redis (default: Reflex's, 2 x cores + 1)")
    parser.add_argument("--url", help="measure the app already running here (seeds sign with $STOREFRONT_SECRET_KEYS)")
    parser.add_argument("--database-url", help="with --url: that app's DATABASE_URL")
    parser.add_argument("--redis-url", help="with --url: that app's REDIS_URL, if it has one")
    parser.add_argument("--pgids", default="", help="with --url: the process groups of the app and its servers")
    args = parser.parse_args()
    plan = SMOKE if args.smoke else FULL if args.full else DEFAULT
    elsewhere = None
    if args.url:
        pgids = [int(pgid) for pgid in args.pgids.split(",") if pgid]
        if "," in args.backends or not args.database_url or not pgids:
            parser.error("--url measures one backend: name it in --backends, with --database-url and --pgids")
        elsewhere = (RunningElsewhere(args.url, pgids[0]), args.database_url, args.redis_url, pgids)
    else:
        os.environ["STOREFRONT_SECRET_KEYS"] = BENCH_SECRET_KEY  # the apps started here sign with it; seeds must too
    print(f"## Storefront bench ({'smoke' if args.smoke else 'full' if args.full else 'default subset'}): "
          f"{report.machine()}; load average {report.load_average()}", flush=True)
    started = time.perf_counter()
    if not args.smoke:
        subprocess.run([sys.executable, str(Path(__file__).with_name("argon2_verify.py")), "--rounds", "10"],
                       check=True)
    section("The services' own CPU, in-process on SQLite (no Reflex, no HTTP)", "")
    subprocess.run([sys.executable, "-m", "bench.service_cpu", "--rounds", "3" if args.smoke else "200"],
                   check=True, cwd=Path(__file__).resolve().parent.parent)
    for name in args.backends.split(","):
        run_backend(name, plan, args.workers, elsewhere)
    if args.full:  # two instances on one PostgreSQL and one Redis against one (bench/two_instances.py)
        subprocess.run([sys.executable, "-m", "bench.two_instances", "--workers", "1", "--browsers", "10,50"],
                       check=True, cwd=Path(__file__).resolve().parent.parent)
    print(f"\n(the whole run, builds and captures included: {time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
