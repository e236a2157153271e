"""What an e2e test's shopper costs the machine: a new browser context against one handed on from the test before
(tests/e2e/context_pool.py), each shopper loading the catalog, the login page and the cart in a new tab.

    .venv/bin/python -m bench.shopper_cpu [--shoppers 10]               # starts the app on SQLite, one worker
    .venv/bin/python -m bench.shopper_cpu --url http://localhost:3000   # against a running app
    .venv/bin/python -m bench.shopper_cpu --chromium /usr/bin/chromium  # another Chromium binary

CPU is the whole machine's (user + system from /proc/stat, every process: Chromium's renderers end with their
tabs, and a per-process count misses what they used last), so nothing else should run meanwhile. The floor is a
pooled shopper fetching `/ping` three times: the browser's cost without the shop's pages. Rows alternate, twice
(`--rounds`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

from bench import chromium, report, servers

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("/", "/login", "/cart")
HEADERS = ["shopper", "round", "machine CPU s per shopper", "x floor", "wall s per shopper"]


def machine_cpu() -> float:
    """CPU seconds every process of the machine has used (user, nice, system, irq, softirq, steal)."""
    fields = [int(field) for field in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / report.TICKS  # less idle and iowait


def _shopper(browser, base_url: str, pooled: bool, paths: tuple[str, ...]) -> None:
    from tests.e2e.conftest import shoppers

    if pooled:
        with shoppers(browser, base_url) as make:
            page = make().page
            for path in paths:
                _load(page, base_url + path)
        return
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    for path in paths:
        _load(page, base_url + path)
    context.close()


def _load(page, url: str) -> None:
    page.goto(url)
    if not url.endswith("/ping"):
        page.wait_for_selector("main[data-loaded=true]")  # the page's own load has run


def measure(base_url: str, count: int, rounds: int = 2, binary: Path | None = None) -> str:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS

    rows = []
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright, CHROMIUM_ARGS, binary)
        _shopper(browser, base_url, True, PAGES)  # warm the pool and the app once, untimed
        for round_ in range(1, rounds + 1):
            runs = {}
            for name, pooled, paths in (("floor: pooled, /ping x3", True, ("/ping",) * 3),
                                        ("new context", False, PAGES), ("pooled context", True, PAGES)):
                cpu, wall = machine_cpu(), time.perf_counter()
                for _ in range(count):
                    _shopper(browser, base_url, pooled, paths)
                time.sleep(1)  # let the closed tabs' processes end
                runs[name] = ((machine_cpu() - cpu) / count, (time.perf_counter() - wall - 1) / count)
            floor = runs["floor: pooled, /ping x3"][0]
            rows += [[name, round_, f"{cpu:.2f}", f"{cpu / floor:.1f}" if floor else "-", f"{wall:.2f}"]
                     for name, (cpu, wall) in runs.items()]
        browser.close()
    return report.table(HEADERS, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an app already running (default: start one on SQLite)")
    parser.add_argument("--shoppers", type=int, default=10, help="shoppers per row (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="times each row runs (default 2)")
    parser.add_argument("--chromium", type=Path, help=f"the browser binary (default {chromium.executable()})")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # tests/ holds the pool this measures
    binary = args.chromium or chromium.executable() or "Playwright's Chromium"
    print(f"## Shopper CPU: {report.machine()}; {binary}; "
          f"load average {report.load_average()}\n", flush=True)
    with contextlib.ExitStack() as stack:
        base_url = args.url
        if not base_url:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="storefront-shopper-")))
            base_url = stack.enter_context(servers.app(workdir, f"sqlite:///{workdir / 'bench.db'}")).base_url
        print(measure(base_url, args.shoppers, args.rounds, args.chromium), flush=True)
    print(f"\n(load average after: {report.load_average()}; {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
