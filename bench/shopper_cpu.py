"""What an e2e test's shopper costs the machine in each Chromium binary: a shopper is a new browser context and tab
(tests/e2e/conftest.py's `shoppers`) loading the catalog, the login page and the cart.

    .venv/bin/python -m bench.shopper_cpu [--shoppers 10]               # starts the app on SQLite, one worker
    .venv/bin/python -m bench.shopper_cpu --url http://localhost:3000   # against a running app
    .venv/bin/python -m bench.shopper_cpu --chromium /usr/bin/chromium  # only this binary (repeatable)

By default it measures every Debian binary installed (the headless shell the tests run, and the full Chromium),
else Playwright's own. CPU is the whole machine's (user + system from /proc/stat, every process: Chromium's
renderers end with their tabs, and a per-process count misses what they used last), so nothing else should run
meanwhile. Each binary's floor is a shopper fetching `/ping` three times: the browser's cost without the shop's
pages. Rows alternate, twice (`--rounds`).
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
HEADERS = ["Chromium", "shopper", "round", "machine CPU s per shopper", "x floor", "wall s per shopper"]


def machine_cpu() -> float:
    """CPU seconds every process of the machine has used (user, nice, system, irq, softirq, steal)."""
    fields = [int(field) for field in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / report.TICKS  # less idle and iowait


def _shopper(browser, base_url: str, paths: tuple[str, ...]) -> None:
    from tests.e2e.conftest import shoppers

    with shoppers(browser, base_url) as make:
        page = make().page
        for path in paths:
            page.goto(base_url + path)
            if path != "/ping":
                page.wait_for_selector("main[data-loaded=true]")  # the page's own load has run


def binaries(chosen: list[Path] | None) -> list[Path | None]:
    """The binaries to measure: those chosen, else every Debian one installed, else Playwright's (None)."""
    return list(chosen or chromium.installed() or [None])


def measure(base_url: str, count: int, rounds: int = 2, chosen: list[Path] | None = None) -> str:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browsers = {(binary.name if binary else "Playwright's"): chromium.launch(playwright, binary)
                    for binary in binaries(chosen)}
        for browser in browsers.values():
            _shopper(browser, base_url, PAGES)  # warm the app and the browser once, untimed
        for round_ in range(1, rounds + 1):
            for name, browser in browsers.items():
                runs = {}
                for kind, paths in (("floor: /ping x3", ("/ping",) * 3), ("shopper: /, /login, /cart", PAGES)):
                    cpu, wall = machine_cpu(), time.perf_counter()
                    for _ in range(count):
                        _shopper(browser, base_url, paths)
                    time.sleep(1)  # let the closed tabs' processes end
                    runs[kind] = ((machine_cpu() - cpu) / count, (time.perf_counter() - wall - 1) / count)
                floor = runs["floor: /ping x3"][0]
                rows += [[name, kind, round_, f"{cpu:.2f}", f"{cpu / floor:.1f}" if floor else "-", f"{wall:.2f}"]
                         for kind, (cpu, wall) in runs.items()]
        for browser in browsers.values():
            browser.close()
    return report.table(HEADERS, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an app already running (default: start one on SQLite)")
    parser.add_argument("--shoppers", type=int, default=10, help="shoppers per row (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="times each row runs (default 2)")
    parser.add_argument("--chromium", type=Path, action="append",
                        help="a browser binary to measure (repeatable; default: every Debian one installed)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # tests/ holds the shoppers this measures
    print(f"## Shopper CPU: {report.machine()}; load average {report.load_average()}\n", flush=True)
    with contextlib.ExitStack() as stack:
        base_url = args.url
        if not base_url:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="storefront-shopper-")))
            base_url = stack.enter_context(servers.app(workdir, f"sqlite:///{workdir / 'bench.db'}")).base_url
        print(measure(base_url, args.shoppers, args.rounds, args.chromium), flush=True)
    print(f"\n(load average after: {report.load_average()}; {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
