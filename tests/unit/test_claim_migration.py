"""The claim lifecycle's migration moves the claims a shop already has, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from alembic import command
from bench import servers
from storefront.db import make_engine
from storefront.migrate import alembic_config, upgrade
from storefront.models import ClaimOrder, ClaimRequest, OrderEvent

BEFORE = "7c4e1d2a9f30"  # the revision before claims had their own order rows


def _old_shop(url: str) -> None:
    """A database at the revision before, with two guest orders, one owned order and three claims."""
    command.upgrade(alembic_config(url), BEFORE)
    engine = make_engine(url)
    with engine.begin() as db:
        db.execute(text("INSERT INTO customer (email, first_name, last_name, password_hash, created_at) VALUES "
                        "('ada@example.com', 'Ada', 'Lovelace', 'x', '2026-11-01 10:00:00'),"
                        "('bob@example.com', 'Bob', 'Byron', 'x', '2026-11-01 10:00:00')"))
        for number, (order_id, owner) in enumerate([("order_A", None), ("order_B", None), ("order_C", 2)], 1):
            db.execute(text('INSERT INTO "order" (display_id, id, email, customer_id, first_name, last_name, '
                            "address_1, city, postal_code, country_code, currency_code, subtotal, shipping_total, "
                            "total, created_at) VALUES (:n, :id, 'guest@example.com', :owner, 'G', 'H', 'a', 'c', "
                            "'p', 'us', 'eur', 1, 0, 1, '2026-11-02 10:00:00')"),
                       {"n": number, "id": order_id, "owner": owner})
        claims = [("claim_1", 1, ["order_A", "order_B"], "pending", "h1"),
                  ("claim_2", 2, ["order_C"], "confirmed", "h2"),
                  ("claim_3", 2, ["order_A", "order_gone"], "declined", "")]
        for claim_id, customer_id, order_ids, status, token_hash in claims:
            db.execute(text("INSERT INTO claimrequest (id, customer_id, order_email, order_ids, token_hash, status, "
                            "created_at, expires_at, decided_at) VALUES (:id, :c, 'guest@example.com', :ids, :h, :s, "
                            "'2026-11-03 10:00:00', '2026-11-03 11:00:00', "
                            + ("NULL" if status == "pending" else "'2026-11-03 10:30:00'") + ")"),
                       {"id": claim_id, "c": customer_id, "ids": json.dumps(order_ids), "s": status, "h": token_hash})
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def old_shop_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = servers.create_database(request.getfixturevalue("postgres_url"), "claim_migration")
    _old_shop(url)
    return url


def test_existing_claims_move_into_their_order_rows_with_their_history(old_shop_url):
    upgrade(old_shop_url)
    engine = make_engine(old_shop_url)
    with Session(engine) as session:
        rows = {(r.claim_id, r.order_id, r.open) for r in session.exec(select(ClaimOrder)).all()}
        # An order that no longer exists is dropped; only a pending claim's unowned orders stay open.
        assert rows == {("claim_1", "order_A", True), ("claim_1", "order_B", True), ("claim_2", "order_C", False),
                        ("claim_3", "order_A", False)}
        hashes = {c.id: c.token_hash for c in session.exec(select(ClaimRequest)).all()}
        assert hashes["claim_1"] == "h1" and hashes["claim_3"] == "none:claim_3"  # unique, and no token has it
        story = [(e.order_id, e.type, e.actor) for e in session.exec(
            select(OrderEvent).order_by(OrderEvent.created_at, OrderEvent.id)).all()]
        assert story[:3] == [("order_A", "placed", "order_email"), ("order_B", "placed", "order_email"),
                             ("order_C", "placed", "order_email")]  # order_C joined its account by a claim
        assert ("order_C", "confirmed", "customer") in story and ("order_A", "declined", "order_email") in story
        assert [t for o, t, _ in story if o == "order_A"] == ["placed", "claim_requested", "link_sent",
                                                             "claim_requested", "link_sent", "declined"]
    engine.dispose()
    command.downgrade(alembic_config(old_shop_url), BEFORE)  # and back, keeping every claim's orders
    engine = make_engine(old_shop_url)
    with engine.connect() as db:
        kept = dict(db.execute(text("SELECT id, order_ids FROM claimrequest")).all())
    engine.dispose()
    assert {k: sorted(json.loads(v) if isinstance(v, str) else v) for k, v in kept.items()} == {
        "claim_1": ["order_A", "order_B"], "claim_2": ["order_C"], "claim_3": ["order_A"]}
