"""OUTBOX_ENABLED=1 on a shop that is not local: it works, and says loudly that anyone can read its mail."""

import urllib.request

import pytest
from playwright.sync_api import expect

from bench.app_process import kept_build_folder, start_app
from storefront import routes
from tests.e2e.conftest import shoppers

PUBLIC = "mail outbox is public"


@pytest.fixture(scope="module")
def public_outbox_shop(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("public-outbox")
    with start_app(workdir, host="127.0.0.2", OUTBOX_ENABLED="1", web_dir=kept_build_folder("public-outbox")) as app:
        yield app


def test_a_forced_outbox_on_a_public_shop_is_announced_in_the_log_and_on_every_page(browser, public_outbox_shop):
    assert "the outbox at /outbox and /api/outbox is public" in public_outbox_shop.log_path.read_text()
    with urllib.request.urlopen(public_outbox_shop.url(routes.HOME), timeout=10) as first_paint:
        assert PUBLIC in first_paint.read().decode()  # before any state arrives
    with shoppers(browser, public_outbox_shop.base_url) as make:
        visitor = make()
        for path in (routes.HOME, routes.LOGIN, routes.OUTBOX):  # ends on the outbox, whose button is checked next
            visitor.go(path)
            expect(visitor.page.get_by_text(PUBLIC)).to_be_visible()
        expect(visitor.page.get_by_role("button", name="Clear outbox")).to_be_visible()  # on /outbox: it works
    log = public_outbox_shop.log_path.read_text()
    assert f"Storefront is running at {public_outbox_shop.base_url}" in log  # the start's closing lines
    assert f"Mail outbox: {public_outbox_shop.base_url}/outbox" in log
