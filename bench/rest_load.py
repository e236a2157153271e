"""REST load: claim request, claim confirm and guest checkout against `/ping`, at 8 and 32 concurrent clients.

    .venv/bin/python -m bench.rest_load --url http://localhost:3000 --database-url sqlite:///storefront.db \
        [--clients 8,32] [--seconds 4] [--requests 40] [--pgid PID ...]

Each client sends its next request when the last one answered (aiohttp, one connection each). `/ping` runs for
`--seconds`; the others send at most `--requests` per client (each needs its own seeded row: a customer may ask
for 5 claim links an hour, a link confirms once, a cart completes once) and stop at `--seconds` too.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from bench import report, seed

ENDPOINTS = ("ping", "claim request", "confirm", "checkout")
HEADERS = ["endpoint", "clients", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms",
           "server CPU ms/req"]


@dataclass
class Request:
    path: str
    body: dict | None = None
    cookie: str | None = None


@dataclass
class Run:
    endpoint: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    cpu: float = 0.0

    def row(self) -> list[object]:
        lat, n = self.latencies, len(self.latencies)
        return [self.endpoint, self.clients, n, self.errors, f"{n / self.seconds:.0f}" if self.seconds else "-",
                report.ms(report.percentile(lat, 50)), report.ms(report.percentile(lat, 90)),
                report.ms(report.percentile(lat, 99)), report.ms(max(lat) if lat else float("nan")),
                f"{self.cpu / n * 1000:.2f}" if n and self.cpu else "-"]


def requests_for(endpoint: str, seeder: seed.Seeder, clients: int, per_client: int) -> list[Callable[[int], Request]]:
    """For each client, its i-th request (rows seeded now)."""
    if endpoint == "ping":
        return [lambda _i: Request("/ping")] * clients
    if endpoint == "checkout":
        carts = seeder.ready_carts(clients * per_client)
        return [lambda i, c=c: Request(f"/store/carts/{carts[c * per_client + i]}/complete", {})
                for c in range(clients)]
    if endpoint == "claim request":
        shoppers = seeder.customers(clients * -(-per_client // 5))  # 5 claim links per customer an hour
        orders = seeder.guest_orders(len(shoppers))
        per = len(shoppers) // clients
        return [lambda i, c=c: Request("/store/orders/batch/customer/token", {"order_ids": [orders[c * per + i // 5]]},
                                       shoppers[c * per + i // 5].cookie) for c in range(clients)]
    if endpoint == "confirm":
        shoppers = seeder.customers(clients)
        tokens = [[claim.token for claim in seeder.claims(s, seeder.guest_orders(per_client))] for s in shoppers]
        return [lambda i, c=c: Request("/store/orders/customer/confirm", {"token": tokens[c][i]}, shoppers[c].cookie)
                for c in range(clients)]
    raise ValueError(endpoint)


async def measure(url: str, seeder: seed.Seeder, endpoint: str, clients: int, seconds: float, per_client: int,
                  pgids: list[int]) -> Run:
    makers = requests_for(endpoint, seeder, clients, per_client)
    cap = 10**9 if endpoint == "ping" else per_client
    run = Run(endpoint, clients)
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as http:
        cpu_before, start = report.cpu_seconds(pgids), time.perf_counter()
        deadline = start + seconds

        async def client(make: Callable[[int], Request]) -> None:
            for i in range(cap):
                if time.perf_counter() >= deadline:
                    return
                req = make(i)
                headers = {"Origin": url}
                if req.cookie:
                    headers["Cookie"] = f"{seed.SESSION_COOKIE}={req.cookie}"
                sent = time.perf_counter()
                method = http.get(url + req.path, headers=headers) if req.body is None else \
                    http.post(url + req.path, json=req.body, headers=headers)
                async with method as response:
                    await response.read()
                    if response.status == 200:
                        run.latencies.append(time.perf_counter() - sent)
                    else:
                        run.errors += 1

        await asyncio.gather(*(client(m) for m in makers))
        run.seconds = time.perf_counter() - start
        run.cpu = report.cpu_seconds(pgids) - cpu_before if pgids else 0.0
    return run


async def run_matrix(url: str, database_url: str, clients: list[int], endpoints: list[str], seconds: float,
                     per_client: int, pgids: list[int]) -> list[Run]:
    seeder = seed.Seeder(database_url)
    return [await measure(url, seeder, e, c, seconds, per_client, pgids) for c in clients for e in endpoints]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", default="8,32")
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--requests", type=int, default=40, help="per client, for the endpoints that need rows")
    parser.add_argument("--pgid", type=int, action="append", default=[])
    args = parser.parse_args()
    print(f"load average before: {report.load_average()}", flush=True)
    runs = asyncio.run(run_matrix(args.url.rstrip("/"), args.database_url, [int(c) for c in args.clients.split(",")],
                                  args.endpoints.split(","), args.seconds, args.requests, args.pgid))
    print(report.table(HEADERS, [r.row() for r in runs]))
    print(f"load average after: {report.load_average()}")


if __name__ == "__main__":
    main()
