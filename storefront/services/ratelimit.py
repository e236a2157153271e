"""Sliding-window rate limits kept in the database, so every backend worker sees the same counts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, select

from storefront.models import RateEvent, utcnow


def count(*, session: Session, key: str, window: timedelta, now: datetime | None = None) -> int:
    """How many events were recorded for `key` within the window ending now."""
    since = (now or utcnow()) - window
    statement = select(func.count()).select_from(RateEvent).where(
        RateEvent.key == key, RateEvent.created_at > since
    )
    return session.exec(statement).one()


def record(*, session: Session, key: str, now: datetime | None = None) -> None:
    """Count one event against `key`."""
    session.add(RateEvent(key=key, created_at=now or utcnow()))


def allow(
    *, session: Session, key: str, limit: int, window: timedelta, now: datetime | None = None
) -> bool:
    """Record an attempt and say whether it is within `limit` per `window`.

    Refused attempts are not recorded, so a caller who waits gets through when the window moves on.
    """
    if count(session=session, key=key, window=window, now=now) >= limit:
        return False
    record(session=session, key=key, now=now)
    return True


def reset(*, session: Session, key: str) -> None:
    """Forget every event for `key` (a successful login clears its failures)."""
    session.exec(delete(RateEvent).where(RateEvent.key == key))
