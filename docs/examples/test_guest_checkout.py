"""An example for your own Playwright suite: buy as a guest, then find the confirmation email in the outbox.

Start the app, then run this file with pytest:

    make run                                              # or: PORT=8080 make run
    pip install pytest playwright && python -m playwright install chromium
    STOREFRONT_URL=http://localhost:3000 pytest docs/examples/test_guest_checkout.py

CHROMIUM_PATH (optional) names a Chromium to use instead of Playwright's own. docs/testing.md lists the labels,
button names, roles and test ids used here.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from playwright.sync_api import Page, expect, sync_playwright

BASE_URL = os.environ.get("STOREFRONT_URL", "http://localhost:3000").rstrip("/")


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH") or None)
        context = browser.new_context(base_url=BASE_URL)  # a fresh context: an empty cart, nobody logged in
        yield context.new_page()
        browser.close()


def outbox(to: str) -> list[dict]:
    """The messages to `to`, newest first (GET /api/outbox/messages)."""
    query = urllib.parse.urlencode({"to": to, "limit": 10})
    with urllib.request.urlopen(f"{BASE_URL}/api/outbox/messages?{query}", timeout=10) as answer:
        return json.load(answer)["messages"]


def wait_for_mail(to: str, subject_contains: str, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in outbox(to):
            if subject_contains in message["subject"]:
                return message
        time.sleep(0.25)
    raise AssertionError(f"no email to {to} with {subject_contains!r} in its subject")


def test_a_guest_order_gets_a_confirmation_email(page: Page) -> None:
    email = f"guest-{uuid.uuid4().hex[:12]}@example.com"  # new every run: no clean database needed

    page.goto("/")
    page.get_by_test_id("product-card").first.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("link", name="Cart (1)")).to_be_visible()  # the header counts the cart's items
    page.get_by_role("link", name="Cart (1)").click()
    page.get_by_role("link", name="Checkout").click()

    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Address").fill("1 Harbour Street")
    page.get_by_label("City").fill("Arlington")
    page.get_by_label("Postal code").fill("22201")
    page.get_by_label("Country").select_option("us")
    page.get_by_role("button", name="Place order").click()

    order_id = page.get_by_test_id("order-id")
    expect(order_id).to_have_text(re.compile(r"^order_\w+$"))
    expect(page.get_by_role("status")).to_contain_text(email)

    mail = wait_for_mail(email, order_id.inner_text())  # the subject names the order
    assert mail["to"] == email
    assert "claim" not in mail["subject"].lower()
