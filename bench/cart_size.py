"""Add to cart as the cart grows: server CPU per add at carts of 1, 5 and 12 lines, against the floor handler in the
same run, and the bytes the server sends back for one add at each size.

    .venv/bin/python -m bench.cart_size [--browsers 10] [--seconds 5] [--rate-browsers 200]  # its own app (SQLite)
    .venv/bin/python -m bench.cart_size --url http://localhost:3000 --database-url sqlite:///storefront.db \
        --pgid <the app's process group>                                     # against a running app

Each simulated browser first fills its cart to N lines (untimed), then adds more of those N variants in a closed
loop (bench/ws_load.py's `add-at-N`), so every timed add meets a cart of N lines. `add-spread` is the shop's
mix: adds spread over all 12 variants, carts growing to 12 lines. "x floor" divides an add's server CPU by the
floor handler's (an event that touches no database) measured just before. `--rate-browsers N` adds an open-loop
table: N browsers each sending one event a second (bench/ws_load.py's rate mode, latency counted from when each
event was due), the floor's and then an `add-spread` add: the shop's traffic rather than a saturated server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import tempfile
from pathlib import Path

import aiohttp

from bench import report, seed, servers, ws_load
from bench.browser import Browser, state_of, when_set

HEADERS = ["scenario", "browsers", "events", "errors", "events/s", "p50 ms", "p99 ms", "server CPU ms/event",
           "x floor"]
RATE_HEADERS = ["rate scenario", "browsers", "events", "errors", "events/s", "p50 ms", "p90 ms", "p99 ms", "max ms"]


async def reply_bytes(url: str, frames: dict, seeder: seed.Seeder, lines: int) -> int:
    """Bytes of the updates the server sends for one add into a cart that already has `lines` lines."""
    home = frames["home"]
    adds = ws_load.add_frames(home["add"], seeder.variants())
    ok = when_set(state_of(home["add"]["name"]), "error", lambda value, _values: value == "")
    sizes: list[int] = []

    def counting(update: dict) -> object:
        sizes.append(len(json.dumps(update, separators=(",", ":"))))
        return ok(update)

    async with aiohttp.ClientSession() as http:
        browser = Browser(url, http)
        await browser.open(home["connect"])
        for frame in adds[:lines]:
            await browser.call(frame, ok)
        sizes.clear()
        await browser.call(adds[0], counting)
        await browser.close()
    return sum(sizes)


async def measure(url: str, frames: dict, database_url: str, browsers: int, seconds: float,
                  pgids: list[int]) -> tuple[list[list[object]], list[list[object]]]:
    seeder = seed.Seeder(database_url)
    rows, floor = [], None
    for scenario in ["floor", *(f"add-at-{n}" for n in ws_load.CART_SIZES), "add-spread"]:
        run = await ws_load.measure(url, frames, seeder, scenario, "closed", browsers, seconds, pgids)
        per_event = run.cpu / run.events if run.events and run.cpu else None
        floor = per_event if scenario == "floor" else floor
        ratio = f"{per_event / floor:.1f}" if per_event and floor else "-"
        cpu = f"{per_event * 1000:.2f}" if per_event else "-"
        rate = run.events / run.seconds if run.seconds else 0
        rows.append([scenario, browsers, run.events, run.errors, f"{rate:.0f}",
                     report.ms(report.percentile(run.latencies, 50)), report.ms(report.percentile(run.latencies, 99)),
                     cpu, ratio])
    sizes = [[n, await reply_bytes(url, frames, seeder, n)] for n in ws_load.CART_SIZES]
    return rows, sizes


async def rate_rows(url: str, frames: dict, database_url: str, browsers: int, seconds: float,
                    rate_seconds: float = ws_load.RATE_SECONDS) -> list[list[object]]:
    """`browsers` browsers each sending one event a second: the floor's, then an add (spread over the variants).
    The latency a shopper sees; the floor's row in the same run says what the machine allowed at that moment."""
    rows = []
    for scenario in ("floor", "add-spread"):
        run = await ws_load.measure(url, frames, seed.Seeder(database_url), scenario, "rate", browsers,
                                    max(seconds, rate_seconds), [])
        lat = run.latencies
        rows.append([f"{scenario}, 1/s each", browsers, run.events, run.errors, f"{run.events / run.seconds:.0f}",
                     *(report.ms(report.percentile(lat, p)) for p in (50, 90, 99)),
                     report.ms(max(lat, default=math.nan))])
    return rows


def run(url: str, database_url: str, browsers: int, seconds: float, pgids: list[int],
        frames: dict | None = None, rate_browsers: int = 0, rate_seconds: float = ws_load.RATE_SECONDS) -> str:
    """The tables as Markdown (frames: bench/capture.py's, captured now when not given); the open-loop one only
    with `rate_browsers`."""
    from bench.capture import capture

    frames = frames or capture(url, database_url)
    load = report.load_average()
    rows, sizes = asyncio.run(measure(url, frames, database_url, browsers, seconds, pgids))
    text = (f"Closed loop, {browsers} browsers, {seconds:g} s each (load average {load} → {report.load_average()})"
            f"\n\n{report.table(HEADERS, rows)}\n\nOne add's reply\n\n"
            f"{report.table(['lines in the cart', 'bytes sent back'], sizes)}")
    if rate_browsers:
        load = report.load_average()
        rows = asyncio.run(rate_rows(url, frames, database_url, rate_browsers, seconds, rate_seconds))
        text += (f"\n\nOpen loop, {rate_browsers} browsers each sending one event a second (load average {load} → "
                 f"{report.load_average()})\n\n{report.table(RATE_HEADERS, rows)}")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app (else one is started on SQLite)")
    parser.add_argument("--database-url")
    parser.add_argument("--frames", help="bench/capture.py's output (captured now when omitted)")
    parser.add_argument("--pgid", type=int, action="append", default=[])
    parser.add_argument("--browsers", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rate-browsers", type=int, default=0,
                        help="also N browsers each adding once a second (open loop); 0: not measured")
    parser.add_argument("--rate-seconds", type=float, default=ws_load.RATE_SECONDS,
                        help="the open loop's shortest length (the smoke test's runs are shorter)")
    args = parser.parse_args()
    print(f"## Cart size: {report.machine()}", flush=True)
    if args.url:
        from bench.capture import frames_for

        url = args.url.rstrip("/")
        frames = frames_for(url, args.database_url, args.frames)
        print(run(url, args.database_url, args.browsers, args.seconds, args.pgid, frames, args.rate_browsers,
                  args.rate_seconds))
        return
    os.environ["STOREFRONT_SECRET_KEYS"] = seed.BENCH_SECRET_KEY
    with tempfile.TemporaryDirectory(prefix="storefront-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        with servers.app(Path(tmp), url) as app:
            print(run(app.base_url, url, args.browsers, args.seconds, [app.pid], rate_browsers=args.rate_browsers,
                      rate_seconds=args.rate_seconds))


if __name__ == "__main__":
    main()
