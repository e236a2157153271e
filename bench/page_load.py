"""Cold page loads on a throttled phone and laptop: first paint, first product visible, first working click, and the
JavaScript each page downloads, through Chromium's DevTools protocol (Playwright's CDP session).

    .venv/bin/python -m bench.page_load [--runs 3]                     # starts the app on SQLite, one worker
    .venv/bin/python -m bench.page_load --url http://localhost:3000    # against a running app
    .venv/bin/python -m bench.page_load --waterfall                    # one load per page at 390 px, request by request

Every load is cold (a new browser context, cache disabled) at 1280 and at 390 px wide, under CPU x4, 1.6 Mbps down,
750 kbps up and 150 ms round trip. Pages: the catalog (`/`) and the first product's page.
- "first paint": Chromium's first-paint entry. Each page's HTML carries the CSS it needs (storefront/critical_css.py);
  the full stylesheet no longer blocks paint.
- "stylesheet": when the last stylesheet the page links had arrived (Resource Timing's responseEnd).
- "HTML KB": the document as transferred, the inlined CSS included.
- "first product visible": a product card (catalog), or the product's own heading (product page), with its
  picture loaded, its price and its Add to cart button, laid out on screen; and painted: the later of that
  moment and the first contentful paint (an element can be laid out in a page not yet painted).
- "first working click": Add to cart clicked the moment it shows enabled (it waits for the websocket), until the
  header's cart count says so.
The floor is the same throttled browser fetching `/ping` (a few bytes of JSON): what the connection alone costs,
in the same run. Times are medians of `--runs`, in ms from navigation start (performance.now()).

`--waterfall` is the profile of one such load instead: every request of one cold load of each page at 390 px (the
document and Resource Timing's entries, until the product is visible and the load event has fired) in the order
they started, when each started, got its first byte and ended, and its bytes transferred; then that load's first
paint and first product visible, and what the link carried before the stylesheet had arrived.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import urllib.request
from collections import Counter
from pathlib import Path

from bench import chromium, report, seed, servers

PROFILE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
WIDTHS = (1280, 390)
HEADERS = ["page", "width", "first paint ms", "stylesheet ms", "first product visible ms", "first working click ms",
           "x floor (visible)", "JS files", "JS KB (transferred)", "CSS KB (transferred)", "HTML KB (transferred)"]
# Marks the first moment a product is on screen whole: the catalog's first card, or the product page's heading
# (named as the product) in <main>, each with its picture loaded, a price and an Add to cart button, laid out.
# Polled every animation frame; the first call runs at once, possibly before the first paint (see _load).
SEEN = """([title, key]) => {
  const shown = e => !!e && e.getBoundingClientRect().height > 0;
  const whole = box => {
    const img = box.querySelector('img');
    return shown(img) && img.complete && img.naturalWidth > 0 && /\\d\\.\\d\\d/.test(box.textContent)
      && Array.from(box.querySelectorAll('button')).some(b => b.textContent.trim() === 'Add to cart' && shown(b));
  };
  const main = document.querySelector('main');
  const heading = main && main.querySelector('h1');
  const found = title === null
    ? Array.from(document.querySelectorAll('[data-testid=product-card]')).some(whole)
    : shown(heading) && heading.textContent.trim() === title && whole(main);
  if (found && !window[key]) window[key] = performance.now();
  return found;
}"""
# Every request of the load, the document first: its path, its type (Resource Timing's initiatorType, and the rel
# and `as` of the first <link> naming it: Chromium reports a modulepreload as "other", and the stylesheet is
# fetched by a `preload` link ahead of its `stylesheet` link), whether a stylesheet link names it, and its times
# in ms from navigation start.
REQUESTS = """() => {
  const links = new Map();
  for (const l of document.querySelectorAll('link[href]')) {
    if (!links.has(l.href)) links.set(l.href, l.rel === 'preload' ? `preload ${l.as}` : l.rel);
  }
  const sheets = new Set(Array.from(document.querySelectorAll('link[rel=stylesheet]'), l => l.href));
  const row = (e, type) => ({path: new URL(e.name).pathname, type, sheet: sheets.has(e.name),
    start: e.startTime, firstByte: e.responseStart, end: e.responseEnd, bytes: e.transferSize});
  const nav = performance.getEntriesByType('navigation')[0];
  return [row(nav, 'document'), ...performance.getEntriesByType('resource').map(
    e => row(e, links.has(e.name) ? `${e.initiatorType} / ${links.get(e.name)}` : e.initiatorType))]
    .sort((a, b) => a.start - b.start);
}"""
WATERFALL_HEADERS = ["#", "path", "type", "start ms", "first byte ms", "end ms", "KB transferred", ""]
# Transferred bytes per resource type, from the DevTools protocol.
COUNTED = {"Script": "js", "Stylesheet": "css", "Document": "html"}


def _throttled(context):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", PROFILE)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    kinds: dict[str, str] = {}
    sizes: dict[str, dict[str, int]] = {kind: {} for kind in COUNTED.values()}
    cdp.on("Network.responseReceived",
           lambda e: kinds.__setitem__(e["requestId"], COUNTED[e["type"]]) if e.get("type") in COUNTED else None)
    cdp.on("Network.loadingFinished",
           lambda e: sizes[kinds[e["requestId"]]].__setitem__(e["requestId"], e["encodedDataLength"])
           if e["requestId"] in kinds else None)
    return page, sizes


def _paint(page, name: str) -> float:
    return page.evaluate(f"(performance.getEntriesByName('{name}')[0] || {{startTime: NaN}}).startTime")


def _load(browser, url: str, width: int, title: str | None) -> dict[str, float]:
    """One cold load; `title` is the product page's product (None: the catalog)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page, sizes = _throttled(context)
        page.goto(url, wait_until="commit")
        page.wait_for_function(SEEN, arg=[title, "__visible"], polling="raf", timeout=60_000)
        button = page.get_by_role("button", name="Add to cart").first
        button.click(timeout=60_000)  # waits until it is enabled
        page.wait_for_function("() => Array.from(document.querySelectorAll('a')).some("
                               "a => /^Cart \\(\\d+\\)$/.test(a.textContent.trim()))", polling="raf", timeout=60_000)
        clicked = page.evaluate("performance.now()")
        contentful = _paint(page, "first-contentful-paint")
        stylesheet = page.evaluate("Math.max(...performance.getEntriesByType('resource')"
                                   ".filter(e => e.initiatorType === 'link' && /\\.css(\\?|$)/.test(e.name))"
                                   ".map(e => e.responseEnd))")
        return {"paint": _paint(page, "first-paint"), "stylesheet": stylesheet,
                "visible": max(page.evaluate("window.__visible"), contentful), "click": clicked,
                "js_files": len(sizes["js"]), "js_bytes": sum(sizes["js"].values()),
                "css_bytes": sum(sizes["css"].values()), "html_bytes": sum(sizes["html"].values())}
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


def _waterfall(browser, url: str, title: str | None) -> str:
    """One cold load at 390 px, request by request (see REQUESTS), and what the link carried before the
    stylesheet had arrived."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page, _ = _throttled(context)
        page.goto(url, wait_until="commit")
        page.wait_for_function(SEEN, arg=[title, "__visible"], polling="raf", timeout=60_000)
        page.wait_for_load_state("load", timeout=60_000)
        paint = _paint(page, "first-paint")
        visible = max(page.evaluate("window.__visible"), _paint(page, "first-contentful-paint"))
        requests = page.evaluate(REQUESTS)
    finally:
        context.close()
    sheets = [r for r in requests if r["sheet"]]
    arrived = max(r["end"] for r in sheets)
    rows = [[n, r["path"], r["type"], f"{r['start']:.0f}", f"{r['firstByte']:.0f}", f"{r['end']:.0f}",
             f"{r['bytes'] / 1024:.1f}", "**stylesheet**" if r in sheets else ""]
            for n, r in enumerate(requests, 1)]
    before = [r for r in requests if r["start"] < arrived]
    done = sum(r["bytes"] for r in before if r["end"] <= arrived)
    # A request still downloading counts the share of its bytes its time before `arrived` stands for.
    partial = sum(r["bytes"] * (arrived - r["start"]) / (r["end"] - r["start"])
                  for r in before if r["end"] > arrived)
    kinds = Counter(r["type"] for r in before)
    return (f"{report.table(WATERFALL_HEADERS, rows)}\n\n"
            f"First paint {paint:.0f} ms, first product visible {visible:.0f} ms, stylesheet arrived "
            f"{arrived:.0f} ms (request {requests.index(sheets[-1]) + 1} of {len(requests)} to start). Before it "
            f"arrived: {len(before)} requests had started ({', '.join(f'{c} {k}' for k, c in kinds.items())}), "
            f"{done / 1024:.0f} KB transferred by those that had ended, ~{partial / 1024:.0f} KB more of those "
            f"still downloading (pro rata).")


def _pages(url: str) -> list[tuple[str, str, str | None]]:
    """(name, address, product title or None) of the catalog and the first product's page."""
    with urllib.request.urlopen(url + "/store/products?limit=1", timeout=30) as answer:
        first = json.load(answer)["products"][0]
    handle = first["handle"]
    return [("catalog /", url + "/", None),
            (f"product /products/{handle}", url + f"/products/{handle}", first["title"])]


def _launch(playwright):
    return chromium.launch(playwright)


def waterfall(url: str) -> str:
    from playwright.sync_api import sync_playwright

    parts = []
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            for name, address, title in _pages(url):
                load = report.load_average()
                table = _waterfall(browser, address, title)
                parts.append(f"### {name}, 390 px, one cold load, CPU x{CPU_SLOWDOWN}, 1.6 Mbps down, 150 ms RTT "
                             f"(load average {load} → {report.load_average()})\n\n{table}")
        finally:
            browser.close()
    return "\n\n".join(parts)


def measure(url: str, runs: int) -> str:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            load = report.load_average()
            floor = statistics.median(_floor(browser, url) for _ in range(runs))
            for name, address, title in _pages(url):
                for width in WIDTHS:
                    got = [_load(browser, address, width, title) for _ in range(runs)]
                    med = {key: statistics.median(g[key] for g in got) for key in got[0]}
                    rows.append([name, width, f"{med['paint']:.0f}", f"{med['stylesheet']:.0f}",
                                 f"{med['visible']:.0f}", f"{med['click']:.0f}", f"{med['visible'] / floor:.1f}",
                                 f"{med['js_files']:.0f}", f"{med['js_bytes'] / 1024:.0f}",
                                 f"{med['css_bytes'] / 1024:.0f}", f"{med['html_bytes'] / 1024:.1f}"])
        finally:
            browser.close()
    return (f"Cold loads, CPU x{CPU_SLOWDOWN}, 1.6 Mbps down, 150 ms RTT, median of {runs} (load average {load} → "
            f"{report.load_average()}); floor: /ping fetched by the same browser, {floor:.0f} ms\n\n"
            f"{report.table(HEADERS, rows)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app (else one is started on SQLite)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--waterfall", action="store_true", help="one load per page at 390 px, request by request")
    args = parser.parse_args()
    print(f"## Page load: {report.machine()}", flush=True)
    run = waterfall if args.waterfall else lambda url: measure(url, args.runs)
    if args.url:
        print(run(args.url.rstrip("/")))
        return
    os.environ["STOREFRONT_SECRET_KEYS"] = seed.BENCH_SECRET_KEY
    with tempfile.TemporaryDirectory(prefix="storefront-bench-") as tmp, \
            servers.app(Path(tmp), f"sqlite:///{Path(tmp) / 'bench.db'}") as app:
        print(run(app.base_url))


if __name__ == "__main__":
    main()
