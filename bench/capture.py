"""Record what a real browser sends over Reflex's websocket, so the load client replays the browser's own frames.

Chromium (Playwright) opens the running app, adds to cart, submits a claim and confirms one; every frame it sends
on `/_event` is kept. The load client (bench/ws_load.py) replays them with a fresh client token per simulated
browser and its own session cookie on the handshake. State names are whatever the running build uses, so the
frames are captured again on every bench run instead of being kept in the repository.

    .venv/bin/python -m bench.capture --url http://localhost:3000 --database-url sqlite:///storefront.db > frames.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from bench import chromium, seed

PACKET = re.compile(r"^4([02])/_event,(.*)$", re.S)  # socket.io CONNECT (0) or EVENT (2) on Reflex's namespace


def _record(page) -> list[dict]:
    """Every socket.io packet the page sends on /_event, decoded: {"kind": "connect"|"event", "data": ...}."""
    sent: list[dict] = []

    def on_socket(ws):
        def on_frame(frame):
            match = PACKET.match(frame if isinstance(frame, str) else "")
            if match:
                data = json.loads(match.group(2))
                sent.append({"kind": "connect" if match.group(1) == "0" else "event",
                             "data": data if match.group(1) == "0" else data[1]})
        ws.on("framesent", on_frame)

    page.on("websocket", on_socket)
    return sent


def _named(sent: list[dict], suffix: str) -> dict:
    for frame in reversed(sent):
        if frame["kind"] == "event" and frame["data"]["name"].endswith(suffix):
            return frame["data"]
    raise RuntimeError(f"the browser sent no event named *{suffix}: {[f['data'].get('name') for f in sent]}")


def _connect(sent: list[dict]) -> dict:
    return next(f["data"] for f in reversed(sent) if f["kind"] == "connect")


def capture(url: str, database_url: str) -> dict:
    """Drive Chromium through the three flows; returns the frames bench/ws_load.py replays."""
    from playwright.sync_api import sync_playwright

    ids = seed.Seeder(database_url)
    (customer,) = ids.customers(1)
    orders = ids.guest_orders(2)
    (claim,) = ids.claims(customer, [orders[1]])
    frames: dict = {}
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = browser.new_context().new_page()
            sent = _record(page)
            page.goto(url + "/")
            page.get_by_role("button", name="Add to cart").first.click()
            page.get_by_text("was added to your cart").first.wait_for()
            frames["home"] = {"connect": _connect(sent), "add": _named(sent, ".add")}

            context = browser.new_context()
            context.add_cookies([{"name": seed.SESSION_COOKIE, "value": customer.cookie, "url": url}])
            page = context.new_page()
            sent = _record(page)
            page.goto(url + "/claim")
            page.get_by_label("Order IDs").fill(orders[0])
            page.get_by_role("button", name="Claim orders").click()
            page.get_by_text("confirmation link is on its way").wait_for()
            frames["claim"] = {"connect": _connect(sent), "submit": _named(sent, ".submit"),
                               "order_id": orders[0]}

            page = context.new_page()
            sent = _record(page)
            page.goto(url + f"/verify?token={claim.token}")
            page.get_by_role("button", name="Confirm claim").click()
            page.get_by_text("joined your account").wait_for()
            frames["verify"] = {"connect": _connect(sent), "confirm": _named(sent, ".confirm"),
                                "token": claim.token}
        finally:
            browser.close()
    return frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--database-url", required=True, help="the app's DATABASE_URL (the capture seeds a customer)")
    args = parser.parse_args()
    json.dump(capture(args.url.rstrip("/"), args.database_url), sys.stdout, indent=1)


if __name__ == "__main__":
    main()


def frames_for(url: str, database_url: str, path: str | None = None) -> dict:
    """The frames saved at `path` by an earlier capture (run_all passes one to every tool), or a new capture."""
    if path:
        with open(path) as f:
            return json.load(f)
    return capture(url, database_url)
