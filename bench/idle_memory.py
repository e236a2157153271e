"""Memory per connected idle browser: open the home page in `--browsers` tabs, keep them connected, and divide
what the app's processes (and Redis, when the app keeps page state there) grew by.

    .venv/bin/python -m bench.idle_memory --url http://localhost:3000 --database-url sqlite:///storefront.db \
        --pgid APP_PID [--browsers 1000] [--redis-url redis://...]

Resident memory is summed over the app's process group (its workers), before and after; Python seldom gives
memory back, so a warm-up round of tabs opens and closes first and the growth counted is that of the second round.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time

import aiohttp

from bench import report
from bench.browser import Browser

HEADERS = ["browsers", "app KiB/browser", "Redis KiB/browser", "total KiB/browser", "connect s"]


async def _open(url: str, frames: dict, http, count: int, parallel: int = 24) -> list[Browser]:
    gate = asyncio.Semaphore(parallel)

    async def one() -> Browser:
        async with gate:
            browser = Browser(url, http)
            await browser.open(frames["home"]["connect"])
            return browser
    return list(await asyncio.gather(*(one() for _ in range(count))))


async def measure(url: str, frames: dict, browsers: int, pgids: list[int], redis_url: str | None) -> list[object]:
    from bench.servers import redis_used_memory

    def redis_bytes() -> int:
        return redis_used_memory(redis_url) if redis_url else 0

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        warm = await _open(url, frames, http, min(browsers, 100))
        await asyncio.gather(*(b.close() for b in warm))
        await asyncio.sleep(2)
        app_before, redis_before, start = report.rss_bytes(pgids), redis_bytes(), time.perf_counter()
        tabs = await _open(url, frames, http, browsers)
        took = time.perf_counter() - start
        await asyncio.sleep(3)  # let the last on_load handlers finish and the idle heartbeats settle
        gc.collect()
        app_kib = (report.rss_bytes(pgids) - app_before) / browsers / 1024
        redis_kib = (redis_bytes() - redis_before) / browsers / 1024
        await asyncio.gather(*(b.close() for b in tabs), return_exceptions=True)
    return [browsers, f"{app_kib:.1f}", f"{redis_kib:.1f}" if redis_url else "-", f"{app_kib + redis_kib:.1f}",
            f"{took:.1f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--database-url", required=True, help="for the frame capture")
    parser.add_argument("--pgid", type=int, action="append", required=True)
    parser.add_argument("--browsers", type=int, default=1000)
    parser.add_argument("--redis-url")
    parser.add_argument("--frames")
    args = parser.parse_args()
    url = args.url.rstrip("/")
    from bench.capture import frames_for
    frames = frames_for(url, args.database_url, args.frames)
    from bench.servers import more_open_files
    more_open_files()
    row = asyncio.run(measure(url, frames, args.browsers, args.pgid, args.redis_url))
    print(report.table(HEADERS, [row]))


if __name__ == "__main__":
    main()
