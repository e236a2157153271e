"""Reading mail in the outbox as in Mailpit, on a phone and a laptop: a message opens where the reader looks
(beside the list on a laptop, in its place on a phone), takes focus, has its own address, and gives focus back
to its row when closed; the search lives in the box and in the address."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from storefront import routes
from tests.e2e.audit import DESKTOP, PHONE
from tests.e2e.conftest import shoppers, store_mail


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_third_of_ten_messages_opens_in_view_with_focus_and_its_own_address(browser, app_server, width):
    tag = f"t{time.time_ns()}"
    store_mail(app_server, tag, 10)
    with shoppers(browser, app_server.base_url, width=width) as make:
        reader = make()
        page = reader.page
        reader.go(routes.outbox_url(tag))
        rows = page.get_by_test_id("outbox-row")
        expect(rows).to_have_count(10)
        expect(page.get_by_label("Search")).to_have_value(tag)  # the search that filters the list is in the box
        third = rows.nth(2)
        expect(third).to_contain_text(f"Note {tag} number 8")  # newest first
        third.get_by_role("button").click()

        message = page.get_by_test_id("outbox-message")
        subject = message.get_by_role("heading", name=f"Note {tag} number 8")
        expect(subject).to_be_focused()
        expect(subject).to_be_in_viewport()
        assert query_of(page.url)["message"] and query_of(page.url)["q"] == [tag]
        if width == PHONE:  # the message takes the list's place
            expect(rows.first).to_be_hidden()
            close = page.get_by_role("button", name="Back to messages")
        else:  # beside the list
            expect(third).to_be_in_viewport()
            expect(third).to_have_attribute("data-current", "true")
            close = page.get_by_role("button", name="Close")
        expect(close).to_be_visible()

        # The email's frame is as tall as the email: its last line is there without a scroll inside the frame.
        frame = message.get_by_title("Message (HTML)").element_handle()
        email_page = frame.content_frame()
        expect(email_page.get_by_text("expires in 1 hour")).to_be_attached()
        deadline = time.monotonic() + 10
        while True:
            needed = email_page.evaluate("document.documentElement.scrollHeight")
            shown = frame.evaluate("f => f.clientHeight")
            if needed <= shown + 2 or time.monotonic() > deadline:
                break
            page.wait_for_timeout(100)
        assert needed > 900 and needed <= shown + 2, (needed, shown)  # taller than the screen, and all of it shown

        page.reload()  # the address alone opens it again
        expect(message.get_by_role("heading", name=f"Note {tag} number 8")).to_be_visible()
        expect(page.get_by_label("Search")).to_have_value(tag)

        close.click()
        third_button = rows.nth(2).get_by_role("button")
        expect(third_button).to_be_focused()
        expect(third_button).to_be_in_viewport()
        expect(message).to_have_count(0)
        assert "message" not in query_of(page.url) and query_of(page.url)["q"] == [tag]

        page.go_back()  # the browser's Back opens it again
        expect(message.get_by_role("heading", name=f"Note {tag} number 8")).to_be_visible()


def test_the_search_round_trips_through_the_address_and_show_all_clears_it(browser, app_server):
    tag = f"s{time.time_ns()}"
    store_mail(app_server, tag, 3)
    with shoppers(browser, app_server.base_url, width=PHONE) as make:
        reader = make()
        page = reader.page
        reader.go(routes.OUTBOX)
        page.get_by_label("Search").fill(tag)
        page.get_by_role("button", name="Search").click()
        expect(page).to_have_url(re.compile(rf"/outbox/?\?q={tag}$"))
        expect(page.get_by_test_id("outbox-row")).to_have_count(3)
        expect(page.get_by_role("status").filter(has_text="3 messages match")).to_be_visible()

        reader.go(routes.HOME)
        page.go_back()  # back to the search: the box still shows what filters the list
        expect(page.get_by_label("Search")).to_have_value(tag)
        expect(page.get_by_test_id("outbox-row")).to_have_count(3)

        page.get_by_role("button", name="Show all").click()
        expect(page).to_have_url(re.compile(r"/outbox/?$"))
        expect(page.get_by_label("Search")).to_have_value("")
        expect(page.get_by_test_id("outbox-row").filter(has_not_text=tag).first).to_be_visible()


def test_new_mail_the_search_hides_is_announced_with_a_way_to_show_it(browser, app_server):
    tag = f"h{time.time_ns()}"
    store_mail(app_server, tag, 2)
    with shoppers(browser, app_server.base_url, width=DESKTOP) as make:
        reader = make()
        page = reader.page
        reader.go(routes.outbox_url(tag))
        expect(page.get_by_test_id("outbox-row")).to_have_count(2)
        store_mail(app_server, tag[::-1], 3, to=f"someone-{tag[::-1]}@example.com")  # the search hides these
        notice = page.get_by_role("status").filter(has_text="3 new messages not shown")
        expect(notice).to_be_visible(timeout=10_000)  # the live refresh, no reload
        expect(page.get_by_test_id("outbox-row")).to_have_count(2)
        notice.get_by_role("link", name="show all").click()
        expect(page.get_by_test_id("outbox-row").filter(has_text=f"someone-{tag[::-1]}")).to_have_count(3)


def test_an_address_too_long_for_its_line_breaks_before_the_at_only(browser, app_server):
    local = f"longreader{time.time_ns()}mail"
    store_mail(app_server, local, 1, to=f"{local}@example.com")
    with shoppers(browser, app_server.base_url, width=360) as make:
        reader = make()
        reader.go(routes.outbox_url(local))
        address = reader.page.get_by_test_id("outbox-row").locator(".outbox-address")
        expect(address).to_have_text(f"{local}@example.com")
        # The address's lines as drawn: one character at a time, a new line wherever the next one sits lower.
        lines = address.evaluate("""el => {
            const range = document.createRange(), walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            const lines = []; let line = "", top = null, node;
            while ((node = walker.nextNode())) {
              for (let i = 0; i < node.length; i++) {
                range.setStart(node, i); range.setEnd(node, i + 1);
                const y = Math.round(range.getBoundingClientRect().top);
                if (top !== null && y > top + 2) { lines.push(line); line = ""; }
                top = y; line += node.data[i];
              }
            }
            lines.push(line); return lines;
        }""")
        assert lines == [local, "@example.com"]
