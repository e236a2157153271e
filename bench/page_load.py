"""Cold page loads on a throttled phone and laptop: first paint, first product visible, first working click, and the
JavaScript each page downloads, through Chromium's DevTools protocol (Playwright's CDP session).

    .venv/bin/python -m bench.page_load [--runs 3]                     # starts the app on SQLite, one worker
    .venv/bin/python -m bench.page_load --url http://localhost:3000    # against a running app

Every load is cold (a new browser context, cache disabled) at 1280 and at 390 px wide, under CPU x4, 1.6 Mbps down,
750 kbps up and 150 ms round trip. Pages: the catalog (`/`) and the first product's page. "first product visible":
a product card (catalog) or the product's heading and its Add to cart button (product page) laid out on screen.
"first working click": Add to cart clicked the moment it shows, until the header's cart count says so. The floor is
the same throttled browser fetching `/ping` (a few bytes of JSON): what the connection alone costs, in the same run.
Times are medians of `--runs`, in ms from navigation start (performance.now()).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import urllib.request
from pathlib import Path

from bench import report, seed, servers

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PROFILE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
WIDTHS = (1280, 390)
HEADERS = ["page", "width", "first paint ms", "first product visible ms", "first working click ms", "x floor (visible)",
           "JS files", "JS KB (transferred)"]
# Marks the first moment a selector matches a laid-out element (polled every animation frame).
SEEN = """([selector, key]) => {
  const found = Array.from(document.querySelectorAll(selector)).some(e => e.getBoundingClientRect().height > 0);
  if (found && !window[key]) window[key] = performance.now();
  return found;
}"""


def _throttled(context):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", PROFILE)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    scripts: dict[str, int] = {}
    script_ids: set[str] = set()
    cdp.on("Network.responseReceived",
           lambda e: script_ids.add(e["requestId"]) if e.get("type") == "Script" else None)
    cdp.on("Network.loadingFinished",
           lambda e: scripts.__setitem__(e["requestId"], e["encodedDataLength"])
           if e["requestId"] in script_ids else None)
    return page, scripts


def _load(browser, url: str, width: int, product_page: bool) -> dict[str, float]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page, scripts = _throttled(context)
        page.goto(url, wait_until="commit")
        seen = "[data-testid=product-card]" if not product_page else "main h1"
        page.wait_for_function(SEEN, arg=[seen, "__visible"], polling="raf", timeout=60_000)
        button = page.get_by_role("button", name="Add to cart").first
        button.wait_for(state="visible", timeout=60_000)
        button.click()
        page.wait_for_function(SEEN, arg=["header a[href='/cart'], a[href='/cart/']", "__unused"], timeout=60_000)
        page.wait_for_function("() => Array.from(document.querySelectorAll('a')).some("
                               "a => /^Cart \\(\\d+\\)$/.test(a.textContent.trim()))", polling="raf", timeout=60_000)
        clicked = page.evaluate("performance.now()")
        paint = page.evaluate("(performance.getEntriesByName('first-paint')[0] || {startTime: NaN}).startTime")
        return {"paint": paint, "visible": page.evaluate("window.__visible"), "click": clicked,
                "js_files": len(scripts), "js_bytes": sum(scripts.values())}
    finally:
        context.close()


def _floor(browser, url: str) -> float:
    context = browser.new_context()
    try:
        page, _ = _throttled(context)
        page.goto(url + "/ping", wait_until="load")
        return page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")
    finally:
        context.close()


def measure(url: str, runs: int) -> str:
    from playwright.sync_api import sync_playwright

    with urllib.request.urlopen(url + "/store/products?limit=1", timeout=30) as answer:
        handle = json.load(answer)["products"][0]["handle"]
    pages = [("catalog /", url + "/", False), (f"product /products/{handle}", url + f"/products/{handle}", True)]
    rows = []
    with sync_playwright() as playwright:
        launch = {"args": CHROMIUM_ARGS, "headless": True}
        if CHROMIUM.exists():
            launch["executable_path"] = str(CHROMIUM)
        browser = playwright.chromium.launch(**launch)
        try:
            load = report.load_average()
            floor = statistics.median(_floor(browser, url) for _ in range(runs))
            for name, address, product_page in pages:
                for width in WIDTHS:
                    got = [_load(browser, address, width, product_page) for _ in range(runs)]
                    med = {key: statistics.median(g[key] for g in got) for key in got[0]}
                    rows.append([name, width, f"{med['paint']:.0f}", f"{med['visible']:.0f}", f"{med['click']:.0f}",
                                 f"{med['visible'] / floor:.1f}", f"{med['js_files']:.0f}",
                                 f"{med['js_bytes'] / 1024:.0f}"])
        finally:
            browser.close()
    return (f"Cold loads, CPU x{CPU_SLOWDOWN}, 1.6 Mbps down, 150 ms RTT, median of {runs} (load average {load} → "
            f"{report.load_average()}); floor: /ping fetched by the same browser, {floor:.0f} ms\n\n"
            f"{report.table(HEADERS, rows)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app (else one is started on SQLite)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"## Page load: {report.machine()}", flush=True)
    if args.url:
        print(measure(args.url.rstrip("/"), args.runs))
        return
    os.environ["STOREFRONT_SECRET_KEYS"] = seed.BENCH_SECRET_KEY
    with tempfile.TemporaryDirectory(prefix="storefront-bench-") as tmp, \
            servers.app(Path(tmp), f"sqlite:///{Path(tmp) / 'bench.db'}") as app:
        print(measure(app.base_url, args.runs))


if __name__ == "__main__":
    main()
