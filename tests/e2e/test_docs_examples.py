"""What docs/testing.md promises holds against the live app: its example test passes, run as its docstring says
to run it, and every message of its table is what the app says."""

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from bench import chromium
from bench.app_process import ROOT
from storefront import routes
from tests.e2e.conftest import email, place_guest_order

EXAMPLE = ROOT / "docs" / "examples" / "test_guest_checkout.py"


def test_the_guest_checkout_example_passes(app_server, tmp_path):
    env = {**os.environ, "STOREFRONT_URL": app_server.base_url}
    binary = chromium.executable()  # Debian's, as the suite's own browser fixture uses
    if binary:
        env["CHROMIUM_PATH"] = str(binary)
    # In its own process and folder, as someone else's suite would run it (not under this suite's conftest).
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(EXAMPLE)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout


def messages_table() -> list[tuple[str, str, str]]:
    """docs/testing.md's table of messages: (after what, role, the text it contains or "" when not quoted)."""
    text = (ROOT / "docs" / "testing.md").read_text()
    block = text.split("| after | role | text contains |\n")[1].split("\n\n")[0]
    rows = []
    for line in block.splitlines()[1:]:  # below the |---| line
        after, role, contains = (cell.strip() for cell in line.strip().strip("|").split("|"))
        quoted = re.fullmatch(r'"(.+)"', contains)
        rows.append((after, role.strip("`"), quoted.group(1) if quoted else ""))
    return rows


def _claimed(new_shopper, app_server):
    """A customer who has just pressed Claim orders for a guest order; the order's email."""
    guest_email = email("guest")
    order_id = place_guest_order(app_server.base_url, guest_email)
    customer = new_shopper()
    customer.sign_up(email("ada"))
    customer.claim(order_id)
    return customer, guest_email


def _after_claim(new_shopper, app_server):
    return _claimed(new_shopper, app_server)[0].page


def _after_confirm(new_shopper, app_server):
    customer, guest_email = _claimed(new_shopper, app_server)
    customer.open_claim_link_from_outbox(guest_email)
    customer.page.get_by_role("button", name="Confirm claim").click()
    return customer.page


def _after_decline(new_shopper, app_server):
    _, guest_email = _claimed(new_shopper, app_server)
    [mail] = app_server.wait_for_mail(guest_email, "claim")
    owner = new_shopper()
    owner.page.goto(next(link for link in mail["links"] if "/decline" in link))
    owner.page.get_by_role("button", name="Decline claim").click()
    return owner.page


def _after_cancel(new_shopper, app_server):
    customer, _ = _claimed(new_shopper, app_server)
    customer.go(routes.ACCOUNT)
    customer.page.get_by_test_id("claim-row").get_by_role("button", name="Cancel claim").click()
    return customer.page


def _after_wrong_password(new_shopper, app_server):
    visitor = new_shopper()
    visitor.go(routes.LOGIN)
    visitor.login(email("nobody"), "not the password")
    return visitor.page


def _after_duplicate_registration(new_shopper, app_server):
    account = email("ada")
    new_shopper().register(account)
    visitor = new_shopper()
    visitor.go(routes.REGISTER)
    for label, value in (("First name", "Ada"), ("Last name", "Again"), ("Password", "a much better passphrase")):
        visitor.page.get_by_label(label).fill(value)
    visitor.page.get_by_label("Email", exact=True).fill(account)
    visitor.page.get_by_role("button", name="Create account").click()
    return visitor.page


def _after_a_bad_link(new_shopper, app_server):
    visitor = new_shopper()
    visitor.go(routes.with_query(routes.VERIFY, token="not-a-token"))
    return visitor.page


def _after_a_replaced_link(new_shopper, app_server):
    customer, guest_email = _claimed(new_shopper, app_server)
    [first] = app_server.wait_for_mail(guest_email, "claim")
    customer.claim(re.search(r"order_[0-9A-Z]{26}", first["text"]).group())  # the same order again: a newer link
    app_server.wait_for_mail(guest_email, "claim", count=2)
    customer.page.goto(next(link for link in first["links"] if "/verify" in link))
    return customer.page


def _after_another_account_won(new_shopper, app_server):
    loser, guest_email = _claimed(new_shopper, app_server)
    [mail] = app_server.wait_for_mail(guest_email, "claim")
    order_id = re.search(r"order_[0-9A-Z]{26}", mail["text"]).group()
    winner = new_shopper()
    winner.sign_up(email("bob"))
    winner.claim(order_id)
    newest = app_server.wait_for_mail(guest_email, "claim", count=2)[0]
    winner.page.goto(next(link for link in newest["links"] if "/verify" in link))
    winner.page.get_by_role("button", name="Confirm claim").click()
    expect(winner.page.get_by_role("status")).to_contain_text(order_id)
    loser.page.goto(next(link for link in mail["links"] if "/verify" in link))
    return loser.page


# What each row's "after" does, as a person would do it.
SCENARIOS = {
    "**Claim orders**": _after_claim,
    "**Confirm claim**": _after_confirm,
    "**Decline claim**": _after_decline,
    "**Cancel claim**": _after_cancel,
    "**Log in** with a wrong password": _after_wrong_password,
    "**Create account** with an email that has an account": _after_duplicate_registration,
    "opening a used, expired or bad claim link": _after_a_bad_link,
    "opening a claim link replaced by Send again or a new request": _after_a_replaced_link,
    "opening a claim link whose order joined someone else's account": _after_another_account_won,
}


def test_the_testing_guides_table_names_only_actions_this_file_can_do():
    rows = messages_table()
    assert rows, "docs/testing.md has no messages table"
    unknown = [after for after, _, _ in rows if after not in SCENARIOS]
    assert not unknown, f"docs/testing.md names actions this test cannot do yet: {unknown}"


# One test per action, so `make test`'s processes share them out.
@pytest.mark.parametrize("after", list(SCENARIOS), ids=[f.__name__.removeprefix("_after_") for f in SCENARIOS.values()])
def test_every_message_in_the_testing_guides_table_is_what_the_app_says(after, new_shopper, app_server):
    rows = [(role, contains) for row_after, role, contains in messages_table() if row_after == after]
    assert rows, f"docs/testing.md's table lost its row for {after}"
    page = SCENARIOS[after](new_shopper, app_server)
    for role, contains in rows:
        answer = page.get_by_role(role)
        if contains:
            answer = answer.filter(has_text=contains)
        expect(answer.first, f"after {after}: a role={role} containing {contains!r}").to_be_visible()
