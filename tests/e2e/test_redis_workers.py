"""REDIS_URL set: Reflex serves with several backend workers that keep page state in Redis (on PostgreSQL, the
production setup: tests/conftest.py's shop_on_postgres_and_redis)."""

import re

import pytest
import redis
from playwright.sync_api import expect

from tests.e2e.conftest import email, shoppers

# `make test` runs in several pytest-xdist processes (--dist loadgroup): the PostgreSQL + Redis app's tests (here and
# in test_bench_smoke.py) run in one of them, which builds that app once.
pytestmark = pytest.mark.xdist_group("postgres-redis")


@pytest.fixture
def shop_on_redis(shop_on_postgres_and_redis):
    return shop_on_postgres_and_redis


def test_several_workers_start_cleanly_and_serve_the_whole_claim_flow(browser, shop_on_redis, redis_url):
    assert shop_on_redis.process_count() > 2  # a supervisor and more than one worker
    with shoppers(browser, shop_on_redis.base_url) as new_shopper:
        buyer, ada = new_shopper(), new_shopper()
        guest_email = email("guest")
        order_id = buyer.guest_checkout(guest_email)
        ada.register(email("ada"))
        ada.claim(order_id)
        expect(ada.page.get_by_role("status")).to_contain_text("confirmation link is on its way")
        # Every full page load opens a new socket, which may land on another worker.
        ada.open_claim_link_from_outbox(guest_email)
        ada.page.get_by_role("button", name="Confirm claim").click()
        expect(ada.page.get_by_role("status")).to_contain_text(f"joined your account: {order_id}")
        ada.expect_in_my_orders(order_id)
        ada.page.reload()
        expect(ada.page.get_by_test_id("order-row").filter(has_text=order_id)).to_be_visible()
        expect(ada.page.get_by_role("link", name=re.compile(r"^Cart"))).to_have_text("Cart")

    assert redis.Redis.from_url(redis_url).dbsize() > 0  # the page state did live in Redis
    log = shop_on_redis.log_path.read_text()
    assert "Traceback" not in log, log[-3000:]  # every worker's startup (migrate, seed) went through
