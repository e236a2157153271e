"""Add to cart across two app instances (two machines' worth of processes) on one PostgreSQL and one Redis, against
one instance, each with the floor handler in the same run.

    .venv/bin/python -m bench.two_instances [--workers 1] [--browsers 10,50] [--seconds 5]

Starts PostgreSQL, Redis and two instances with their own build folders and ports (as tests/e2e/test_two_machines.py
does), `--workers` backend workers each. "one" sends every browser to instance A; "two" sends half to A and half to
B at once. Server CPU counts both apps, PostgreSQL and Redis. On this 2-core machine both instances, both servers
and the load generator share the same cores, so "two" can show what the second instance costs, not what a second
machine would add.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import report, seed, servers, ws_load

HEADERS = ["instances", "scenario", "browsers", "events", "errors", "events/s", "p50 ms", "p99 ms",
           "server CPU ms/event", "x floor"]


async def _across(urls: list[str], frames: dict, seeder: seed.Seeder, scenario: str, browsers: int, seconds: float,
                  pgids: list[int]) -> list[object]:
    """One closed-loop run with the browsers split over `urls`; a row of HEADERS without the ratio."""
    shares = [browsers // len(urls) + (i < browsers % len(urls)) for i in range(len(urls))]
    cpu_before, start = report.cpu_seconds(pgids), time.perf_counter()
    runs = await asyncio.gather(*(ws_load.measure(url, frames, seeder, scenario, "closed", n, seconds, [])
                                  for url, n in zip(urls, shares, strict=True) if n))
    cpu, elapsed = report.cpu_seconds(pgids) - cpu_before, time.perf_counter() - start
    latencies = [lat for run in runs for lat in run.latencies]
    events, errors = len(latencies), sum(run.errors for run in runs)
    seconds_run = max(run.seconds for run in runs)
    return [len(urls), scenario, browsers, events, errors, f"{events / seconds_run:.0f}" if seconds_run else "0",
            report.ms(report.percentile(latencies, 50)), report.ms(report.percentile(latencies, 99)),
            cpu / events * 1000 if events else None, elapsed]


def measure(urls: list[str], database_url: str, browsers: list[int], seconds: float, pgids: list[int]) -> str:
    from bench.capture import capture

    frames = capture(urls[0], database_url)
    seeder = seed.Seeder(database_url)
    rows, load = [], report.load_average()
    for n in browsers:
        for instances in (urls[:1], urls):
            floor = None
            for scenario in ("floor", "add", "add-spread"):
                row = asyncio.run(_across(instances, frames, seeder, scenario, n, seconds, pgids))
                per_event = row[8]
                floor = per_event if scenario == "floor" else floor
                ratio = f"{per_event / floor:.1f}" if per_event and floor else "-"
                rows.append([*row[:8], f"{per_event:.2f}" if per_event else "-", ratio])
    return (f"Closed loop, {seconds:g} s per row (load average {load} → {report.load_average()})\n\n"
            f"{report.table(HEADERS, rows)}")


def main() -> None:
    from bench.app_process import start_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--browsers", default="10,50")
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    os.environ["STOREFRONT_SECRET_KEYS"] = seed.BENCH_SECRET_KEY
    servers.more_open_files()
    print(f"## Two instances, {args.workers} worker(s) each: {report.machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="storefront-bench-") as tmp, contextlib.ExitStack() as stack:
        database_url, db_pid = stack.enter_context(servers.postgres())
        redis_url, redis_pid = stack.enter_context(servers.redis())
        starts = []
        for name in ("a", "b"):
            workdir = Path(tmp) / name
            workdir.mkdir()
            starts.append(start_app(workdir, DATABASE_URL=database_url, REDIS_URL=redis_url,
                                    STOREFRONT_SECRET_KEYS=seed.BENCH_SECRET_KEY, GRANIAN_WORKERS=str(args.workers),
                                    web_dir=str(servers.ROOT / f".web-bench-{name}")))
        with ThreadPoolExecutor(2) as pool:  # both build and start at once, as two machines would
            futures = [pool.submit(start.__enter__) for start in starts]
            for start, future in zip(starts, futures, strict=True):  # stop whichever came up, even if one failed
                with contextlib.suppress(Exception):
                    future.result()
                    stack.push(start)
            apps = [future.result() for future in futures]
        pgids = [apps[0].pid, apps[1].pid, db_pid, redis_pid]
        print(measure([app.base_url for app in apps], database_url, [int(n) for n in args.browsers.split(",")],
                      args.seconds, pgids))


if __name__ == "__main__":
    main()
