"""Stall probe: after many past visitors, does a cheap event (and `/ping`) still answer at once, every time?

    .venv/bin/python -m bench.stall_probe --url http://localhost:3000 --database-url sqlite:///storefront.db \
        [--visitors 20000] [--seconds 60] [--rate 50]

First `--visitors` browsers each open a page (their own client token, hydrate and on_load) and leave: the state
they leave behind is what a state manager has to keep, expire or scan. One browser sends the floor handler (a
form's reset, no database) `--rate` times a second, and `/ping` is asked as often, while they arrive and then for
`--seconds` after. Latency
counts from when each was due, so a stall shows in full. A stall is an answer over 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import aiohttp

from bench import report
from bench.browser import Browser, state_of, when_set, with_path

HEADERS = ["probe", "past visitors", "requests", "errors", "p50 ms", "p99 ms", "max ms", "over 100 ms"]
STALL = 0.1


async def visit(url: str, frames: dict, visitors: int, parallel: int = 24) -> float:
    """`visitors` browsers each open /cart (the page with the least on_load work) and close; visits a second."""
    page = with_path(frames["home"]["connect"], "/cart")
    gate, start = asyncio.Semaphore(parallel), time.perf_counter()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        async def one() -> None:
            async with gate:
                browser = Browser(url, http)
                try:
                    await browser.open(page)
                finally:
                    await browser.close()
        for first in range(0, visitors, 1000):  # in slices, so a huge count does not make a huge task list
            await asyncio.gather(*(one() for _ in range(first, min(visitors, first + 1000))))
    return visitors / (time.perf_counter() - start)


async def probe(url: str, frames: dict, seconds: float, rate: float,
                until: asyncio.Event | None = None) -> tuple[list[float], int, list[float], int]:
    """(event latencies, event errors, ping latencies, ping errors) of a steady `rate` of each, for `seconds` or,
    given `until`, until it is set (at most `seconds`)."""
    claim_state = state_of(frames["claim"]["submit"]["name"])
    floor = {**frames["claim"]["submit"], "name": claim_state + ".reset_form", "payload": {}}
    judge = when_set(claim_state, "submitting", lambda value, _values: value is False)
    events, pings, errors = [], [], {"event": 0, "ping": 0}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        browser = Browser(url, http)
        await browser.open(frames["home"]["connect"])
        start = time.perf_counter()
        count = int(seconds * rate)

        async def event_loop() -> None:  # one tab: an event waits for the one before, as Reflex's frontend does
            for i in range(count):
                due = start + i / rate
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                if until is not None and until.is_set():
                    return
                ok, _ = await browser.call(floor, judge, timeout=10)
                if ok:
                    events.append(time.perf_counter() - due)
                else:
                    errors["event"] += 1

        async def ping_one(due: float) -> None:
            try:
                async with http.get(url + "/ping", timeout=aiohttp.ClientTimeout(total=10)) as response:
                    await response.read()
                    ok = response.status == 200
            except (aiohttp.ClientError, TimeoutError):
                ok = False
            if ok:
                pings.append(time.perf_counter() - due)
            else:
                errors["ping"] += 1

        async def ping_loop() -> None:  # each ping on its own, so a slow answer does not delay the next
            pending = set()
            for i in range(count):
                due = start + i / rate
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                if until is not None and until.is_set():
                    break
                task = asyncio.create_task(ping_one(due))
                pending.add(task)
                task.add_done_callback(pending.discard)
            await asyncio.gather(*pending)

        await asyncio.gather(event_loop(), ping_loop())
        await browser.close()
    return events, errors["event"], pings, errors["ping"]


def rows(visitors: int, events: list[float], event_errors: int, pings: list[float], ping_errors: int,
         when: str = "") -> list[list]:
    return [[name + when, visitors, len(lat), err, report.ms(report.percentile(lat, 50)),
             report.ms(report.percentile(lat, 99)), report.ms(max(lat) if lat else float("nan")),
             sum(1 for x in lat if x > STALL)]
            for name, lat, err in (("cheap event", events, event_errors), ("/ping", pings, ping_errors))]


async def run(url: str, frames: dict, visitors: int, seconds: float, rate: float) -> tuple[float, list[list]]:
    """Probe while the visitors arrive (what a live shop sees), then for `seconds` after they left."""
    arrived = asyncio.Event()

    async def visits() -> float:
        try:
            return await visit(url, frames, visitors) if visitors else 0.0
        finally:
            arrived.set()

    visits_per_second, during = await asyncio.gather(visits(), probe(url, frames, 3600, rate, until=arrived))
    return visits_per_second, (rows(visitors, *during, when=" (while they arrive)")
                               + rows(visitors, *await probe(url, frames, seconds, rate), when=" (after)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--database-url", required=True, help="for the frame capture")
    parser.add_argument("--visitors", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--frames")
    args = parser.parse_args()
    url = args.url.rstrip("/")
    from bench.capture import frames_for
    frames = frames_for(url, args.database_url, args.frames)
    print(f"load average before: {report.load_average()}", flush=True)
    speed, table_rows = asyncio.run(run(url, frames, args.visitors, args.seconds, args.rate))
    print(f"{args.visitors} past visitors at {speed:.0f}/s")
    print(report.table(HEADERS, table_rows))
    print(f"load average after: {report.load_average()}")


if __name__ == "__main__":
    main()
