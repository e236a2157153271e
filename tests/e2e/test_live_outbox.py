"""The outbox behaves like Mailpit: new mail appears in an open viewer by itself, search, tabs,
an unread count in the header."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import email, place_guest_order


def test_mail_sent_by_one_browser_appears_in_another_browsers_open_outbox_within_two_seconds(new_shopper, app_server):
    watcher = new_shopper()
    watcher.go(routes.OUTBOX)
    expect(watcher.page.get_by_role("heading", name="Mail outbox")).to_be_visible()
    guest_email = email("live")
    buyer = new_shopper()
    buyer.add_to_cart()
    buyer.fill_checkout(email_address=guest_email)
    buyer.page.get_by_role("button", name="Place order").click()
    order_id = buyer.page.get_by_test_id("order-id")
    expect(order_id).to_have_text(re.compile(r"^order_"))
    row = watcher.page.get_by_test_id("outbox-row").filter(has_text=guest_email)
    expect(row).to_be_visible(timeout=2_000)  # no reload, no click
    expect(row).to_contain_text("new")
    assert "has been deprecated" not in app_server.log_path.read_text()  # the refresh uses no deprecated API


def test_search_by_subject_tabs_for_html_text_and_source_and_the_unread_count(new_shopper):
    guest_email = email("tabs")
    reader = new_shopper()
    order_id = place_guest_order(reader.base_url, guest_email)
    reader.go(routes.HOME)
    header_link = reader.page.get_by_role("link", name=re.compile(r"^Mail outbox"))
    expect(header_link).to_have_text(re.compile(r"^Mail outbox \(\d+\)$"))
    unread = int(re.search(r"\((\d+)\)", header_link.inner_text()).group(1))
    reader.go(routes.OUTBOX)
    reader.page.get_by_label("Search").fill(order_id.lower())  # by subject, in any case
    reader.page.get_by_role("button", name="Search").click()
    rows = reader.page.get_by_test_id("outbox-row")
    expect(rows).to_have_count(1)
    rows.get_by_role("button").first.click()
    message = reader.page.get_by_test_id("outbox-message")
    expect(message.get_by_title("Message (HTML)")).to_be_visible()
    message.get_by_role("tab", name="Text").click()
    expect(message.get_by_role("tabpanel")).to_contain_text(order_id)
    message.get_by_role("tab", name="Source").click()
    source = message.get_by_test_id("message-source")
    expect(source).to_contain_text(f"To: {guest_email}")
    expect(source).to_contain_text("Content-Type: text/html")
    expect(header_link).to_have_text(re.compile(rf"^Mail outbox( \({unread - 1}\))?$"))  # opened: one fewer unread
