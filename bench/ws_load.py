"""Websocket load: add to cart, claim submit and claim confirm, against a floor handler that touches no database,
as Reflex's own frames from simulated browsers (bench/browser.py), closed loop and at 1 event/s per browser.

    .venv/bin/python -m bench.ws_load --url http://localhost:3000 --database-url sqlite:///storefront.db \
        [--browsers 1,10,50,200] [--modes closed,rate] [--seconds 5] [--rate-seconds 5] [--pgid PID ...]

The frames come from bench/capture.py (run first, with Chromium). Closed loop: each browser sends its next event
as soon as the last one's delta arrived. Rate: each browser sends one event a second (phases spread over the
second); latency counts from the moment it was due, so a slow server cannot hide its queue. `add` adds the same
variant again and again (a cart of one line); `add-spread` spreads the adds over every variant the shop sells, so
carts grow to 12 lines; `add-at-N` (bench/cart_size.py) first fills each browser's cart to N lines, untimed, then
adds more of those N variants, so every timed add meets a cart of N lines. The shop allows 5
claim requests per customer an hour, so each browser sends at most 5 claims (one customer per browser); each
confirm needs its own pending claim and opens its /verify page first (untimed). `--pgid` names process groups
(the app, its database, Redis) whose CPU time is divided by the events: "server ms/event".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp

from bench import report, seed
from bench.browser import Browser, replaced, state_of, when_set

SCENARIOS = ("floor", "add", "add-spread", "claim", "confirm")
CART_SIZES = (1, 5, 12)  # the add-at-N scenarios of bench/cart_size.py
CLAIMS_PER_CUSTOMER = 5  # storefront.services.claims.CUSTOMER_LIMIT
CONFIRMS_PER_BROWSER = 10
# An open-loop run lasts at least this long: each browser sends once a second, so fewer seconds would be a handful
# of events each. The smoke test (tests/e2e/test_bench_smoke.py) asks for less, as it only checks the tools run.
RATE_SECONDS = 5


@dataclass
class Run:
    scenario: str
    mode: str
    browsers: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    cpu: float = 0.0

    @property
    def events(self) -> int:
        return len(self.latencies)

    def row(self) -> list[object]:
        lat = self.latencies
        rate = self.events / self.seconds if self.seconds else 0
        # Only a closed loop keeps the server busy: at 1 event/s idle work would count against the events.
        busy = self.mode == "closed" and self.events and self.cpu
        per_event = f"{self.cpu / self.events * 1000:.2f}" if busy else "-"
        return [self.scenario, self.mode, self.browsers, self.events, self.errors, f"{rate:.0f}",
                report.ms(report.percentile(lat, 50)), report.ms(report.percentile(lat, 90)),
                report.ms(report.percentile(lat, 99)), report.ms(max(lat) if lat else float("nan")), per_event]


HEADERS = ["scenario", "mode", "browsers", "events", "errors", "events/s", "p50 ms", "p90 ms", "p99 ms", "max ms",
           "server CPU ms/event"]


@dataclass
class Plan:
    """How one browser of a scenario connects, readies its i-th event (untimed) and fires it (timed)."""

    connect: Callable[[Browser], Awaitable[bool]]
    ready: Callable[[Browser, int], Awaitable[bool]]
    fire: Callable[[Browser, int], Awaitable[bool]]
    cap: int | None = None  # events per browser at most
    cookie: str | None = None


def _not_submitting(ok_when: Callable[[dict], bool]):
    return lambda value, values: None if value else ok_when(values)


async def _nothing(_b: Browser, _i: int) -> bool:
    return True


def add_frames(add: dict, variants: list[str]) -> list[dict]:
    """The captured add-to-cart frame once per variant (the captured one swapped for each)."""
    text = json.dumps(add)
    captured = [variant for variant in variants if json.dumps(variant) in text]
    if len(captured) != 1:
        raise RuntimeError(f"the captured add-to-cart frame names no single variant of {variants}")
    return [replaced(add, json.dumps(captured[0]), json.dumps(variant)) for variant in variants]


def plans(scenario: str, frames: dict, seeder: seed.Seeder, browsers: int, per_browser: int) -> list[Plan]:
    """One Plan per simulated browser, with the customers, orders and claims it needs seeded."""
    home, claim_page, verify_page = frames["home"], frames["claim"], frames["verify"]
    claim_state = state_of(claim_page["submit"]["name"])

    def fire_with(frame: dict, judge) -> Callable[[Browser, int], Awaitable[bool]]:
        async def fire(b: Browser, _i: int) -> bool:
            return (await b.call(frame, judge))[0]
        return fire

    async def open_home(b: Browser) -> bool:
        return await b.open(home["connect"])

    if scenario == "floor":
        frame = {**claim_page["submit"], "name": claim_state + ".reset_form", "payload": {}}
        judge = when_set(claim_state, "submitting", lambda value, _values: value is False)
        return [Plan(open_home, _nothing, fire_with(frame, judge)) for _ in range(browsers)]
    if scenario == "add":
        judge = when_set(state_of(home["add"]["name"]), "error", lambda value, _values: value == "")
        return [Plan(open_home, _nothing, fire_with(home["add"], judge)) for _ in range(browsers)]
    if scenario == "add-spread" or scenario.startswith("add-at-"):
        judge = when_set(state_of(home["add"]["name"]), "error", lambda value, _values: value == "")
        adds = add_frames(home["add"], seeder.variants())
        if scenario == "add-spread":  # browser b's i-th add is variant b + i: carts grow to every variant
            def spread(b_index: int) -> Plan:
                async def fire(b: Browser, i: int) -> bool:
                    return (await b.call(adds[(b_index + i) % len(adds)], judge))[0]
                return Plan(open_home, _nothing, fire)
            return [spread(n) for n in range(browsers)]
        lines = int(scenario.removeprefix("add-at-"))
        if not 1 <= lines <= len(adds):
            raise ValueError(f"{scenario}: the shop sells {len(adds)} variants")

        async def filled(b: Browser) -> bool:  # the cart holds `lines` lines before the first timed add
            if not await b.open(home["connect"]):
                return False
            return all([(await b.call(frame, judge))[0] for frame in adds[:lines]])

        async def again(b: Browser, i: int) -> bool:
            return (await b.call(adds[i % lines], judge))[0]
        return [Plan(filled, _nothing, again) for _ in range(browsers)]
    shoppers = seeder.customers(browsers)
    if scenario == "claim":
        orders = seeder.guest_orders(browsers)
        judge = when_set(claim_state, "submitting", _not_submitting(lambda v: not v.get("error_rx_state_")))

        def claim_plan(shopper: seed.Shopper, order_id: str) -> Plan:
            async def connect(b: Browser) -> bool:
                return await b.open(claim_page["connect"])
            frame = replaced(claim_page["submit"], claim_page["order_id"], order_id)
            return Plan(connect, _nothing, fire_with(frame, judge), cap=CLAIMS_PER_CUSTOMER, cookie=shopper.cookie)
        return [claim_plan(s, o) for s, o in zip(shoppers, orders, strict=True)]
    if scenario == "confirm":
        verify_state = state_of(verify_page["confirm"]["name"])
        ready = when_set(verify_state, "phase", lambda value, _v: {"ready": True, "error": False}.get(value))
        judge = when_set(verify_state, "submitting", _not_submitting(lambda v: v.get("phase_rx_state_") == "done"))

        def confirm_plan(shopper: seed.Shopper) -> Plan:
            tokens = [c.token for c in seeder.claims(shopper, seeder.guest_orders(per_browser))]

            def page(i: int) -> dict:
                return replaced(verify_page["connect"], verify_page["token"], tokens[i])

            async def connect(b: Browser) -> bool:
                return await b.open(page(0), judge=ready)

            async def load(b: Browser, i: int) -> bool:  # the /verify page of the i-th link (the first is open)
                return i == 0 or (await b.call(page(i)["event"], ready))[0]

            async def fire(b: Browser, i: int) -> bool:
                frame = replaced(verify_page["confirm"], verify_page["token"], tokens[i])
                return (await b.call(frame, judge))[0]
            return Plan(connect, load, fire, cap=per_browser, cookie=shopper.cookie)
        return [confirm_plan(s) for s in shoppers]
    raise ValueError(scenario)


async def _open_all(url: str, http, chosen: list[Plan], parallel: int = 16) -> list[Browser]:
    gate = asyncio.Semaphore(parallel)

    async def one(plan: Plan) -> Browser:
        async with gate:
            b = Browser(url, http, cookie=plan.cookie)
            if not await plan.connect(b):
                raise RuntimeError("a simulated browser's page did not load")
            return b
    return list(await asyncio.gather(*(one(p) for p in chosen)))


async def measure(url: str, frames: dict, seeder: seed.Seeder, scenario: str, mode: str, browsers: int,
                  seconds: float, pgids: list[int]) -> Run:
    """Connect `browsers` tabs, run the scenario for `seconds` (or until each browser's cap), close them."""
    per_browser = CONFIRMS_PER_BROWSER if mode == "closed" else max(1, int(seconds))
    chosen = plans(scenario, frames, seeder, browsers, per_browser)
    run = Run(scenario, mode, browsers)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        tabs = await _open_all(url, http, chosen)
        cpu_before, start = report.cpu_seconds(pgids), time.perf_counter()
        deadline = start + seconds

        async def drive(b: Browser, plan: Plan, offset: float) -> None:
            for i in range(plan.cap or 1_000_000):
                if not await plan.ready(b, i):
                    run.errors += 1
                    return
                # Rate mode: one event a second from the browser's own phase; closed loop: now.
                due = start + offset + i if mode == "rate" else time.perf_counter()
                if due >= deadline:
                    return
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                ok = await plan.fire(b, i)
                if ok:
                    run.latencies.append(time.perf_counter() - due)
                else:
                    run.errors += 1

        await asyncio.gather(*(drive(b, p, random.random() if mode == "rate" else 0.0)
                               for b, p in zip(tabs, chosen, strict=True)))
        run.seconds = time.perf_counter() - start
        run.cpu = report.cpu_seconds(pgids) - cpu_before if pgids else 0.0
        await asyncio.gather(*(b.close() for b in tabs), return_exceptions=True)
    return run


async def run_matrix(url: str, frames: dict, database_url: str, browsers: list[int], modes: list[str],
                     scenarios: list[str], seconds: float, pgids: list[int],
                     rate_seconds: float = RATE_SECONDS) -> list[Run]:
    """Every scenario in every mode at each count of browsers; an open-loop run lasts at least `rate_seconds`."""
    seeder = seed.Seeder(database_url)
    runs = []
    for mode in modes:
        for n in browsers:
            for scenario in scenarios:
                runs.append(await measure(url, frames, seeder, scenario, mode, n,
                                          seconds if mode == "closed" else max(seconds, rate_seconds), pgids))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--frames", help="bench/capture.py's output (captured now when omitted)")
    parser.add_argument("--browsers", default="1,10,50,200")
    parser.add_argument("--modes", default="closed,rate")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--pgid", type=int, action="append", default=[])
    parser.add_argument("--rate-seconds", type=float, default=RATE_SECONDS,
                        help="an open-loop run's shortest length (the smoke test's runs are shorter)")
    args = parser.parse_args()
    url = args.url.rstrip("/")
    from bench.capture import frames_for
    frames = frames_for(url, args.database_url, args.frames)
    print(f"load average before: {report.load_average()}", flush=True)
    runs = asyncio.run(run_matrix(url, frames, args.database_url, [int(n) for n in args.browsers.split(",")],
                                  args.modes.split(","), args.scenarios.split(","), args.seconds, args.pgid,
                                  args.rate_seconds))
    print(report.table(HEADERS, [r.row() for r in runs]))
    print(f"load average after: {report.load_average()}")


if __name__ == "__main__":
    main()
