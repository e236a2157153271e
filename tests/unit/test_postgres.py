"""The same rules on PostgreSQL (DATABASE_URL=postgresql+psycopg://... must work): migrations, the claim
flow, and the confirm race, on a real server this test starts."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from storefront.db import make_engine
from storefront.migrate import upgrade
from storefront.models import Order
from storefront.services import claim_links, claims, outbox
from storefront.services.errors import EmailTaken
from tests.factories import make_customer, make_guest_order
from tests.unit.claim_helpers import confirm_twice_at_once, token_from


@pytest.fixture
def pg_engine(postgres_url):
    engine = make_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(postgres_url)
    yield engine
    engine.dispose()


def test_migrations_match_the_models_on_postgres(pg_engine):
    with pg_engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []


def test_claim_flow_and_case_insensitive_emails_on_postgres(pg_engine):
    with Session(pg_engine, expire_on_commit=False) as session:
        order = make_guest_order(session, email="guest@example.com").order
        customer = make_customer(session, email="ada@example.com")
        with pytest.raises(EmailTaken):
            make_customer(session, email="ADA@example.com")
        claims.request_claim(session=session, customer_id=customer.id, order_ids=[order.id])
        (mail,) = [m for m in outbox.list_messages(session=session) if "claim" in m.subject]
        joined = claim_links.confirm_claim(session=session, customer_id=customer.id, token=token_from(mail))
        session.commit()
        assert [o.order.id for o in joined] == [order.id]
        stored = session.exec(select(Order).where(Order.id == order.id)).one()
        assert stored.customer_id == customer.id and stored.email == "guest@example.com"


def test_two_threads_confirming_on_postgres_exactly_one_wins(pg_engine):
    with Session(pg_engine, expire_on_commit=False) as session:
        order = make_guest_order(session).order
        customer = make_customer(session)
        claims.request_claim(session=session, customer_id=customer.id, order_ids=[order.id])
        (mail,) = [m for m in outbox.list_messages(session=session) if "claim" in m.subject]
        token = token_from(mail)
        session.commit()
    assert confirm_twice_at_once(pg_engine, customer.id, token) == ["used", "won"]
