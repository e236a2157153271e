"""The outbox: every email is stored here first, then delivered by the configured backend.

A failed delivery keeps the message with its error; `flush_outbox` retries it later with backoff, so
nothing that depends on an email (an order, a claim request) is lost because SMTP was down.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, SQLModel, select

from storefront.config import get_settings
from storefront.mail.backends import MailBackend, OutboxBackend, SmtpBackend, build_email
from storefront.mail.render import render
from storefront.models import OutboxMessage, utcnow
from storefront.services import inputs, ratelimit

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# How long a sender owns a message: longer than the SMTP timeout, so no other worker sends it meanwhile;
# if the sender dies mid-send, the message is retried once the lease runs out.
SEND_LEASE = timedelta(minutes=2)
_LINK_RE = re.compile(r"https?://[^\s<>\"']+")
# Guest checkout and claims mail addresses nobody has proven to own: cap what one address can be sent, so
# the shop cannot be used to flood an inbox. Messages over the cap are kept (status "held"), never sent.
PER_RECIPIENT = ratelimit.Rule("mail-to", "10/hour")


def configured_backend() -> MailBackend:
    """The backend MAIL_BACKEND names."""
    settings = get_settings()
    if settings.mail_backend == "smtp":
        if not settings.smtp_url:
            raise RuntimeError("MAIL_BACKEND=smtp needs SMTP_URL")
        return SmtpBackend(settings.smtp_url, sender=settings.mail_from)
    return OutboxBackend()


def _plain(value: object) -> object:
    """Template data as JSON can store it (rows become their fields)."""
    if isinstance(value, SQLModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def queue(*, session: Session, to: str, template: str, **context: object) -> OutboxMessage:
    """Store a message for delivery as a template's name and its data (part of the caller's transaction).

    Nothing is rendered here: the request that asked for the mail only stores it (as Medusa's request emits
    an event that a subscriber turns into mail); render_due renders it in the courier, or for the first reader.
    A recipient over PER_RECIPIENT's limit still gets the message stored, as "held": the outbox shows it,
    no mail server is asked to deliver it.
    """
    held = not ratelimit.allow(PER_RECIPIENT, to.lower())
    if held:
        logger.warning("mail held: its recipient was sent too many messages this hour")
    message = OutboxMessage(to=to, template=template, data=_plain(context), status="held" if held else "pending")
    session.add(message)
    session.flush()
    session.info["mail_queued"] = session.info.get("mail_queued", False) or not held  # runner wakes the courier
    session.info["mail_stored"] = True  # runner tells open outbox viewers
    return message


# Locked as read, oldest first (PostgreSQL; SQLite has one writer anyway): several workers' couriers and readers
# render at once. A row another renderer holds is waited for, then drops out rendered, so no reader sees a message
# unrendered. Renders lock only unrendered rows and the courier's "sent" writes only rendered ones (flush_outbox),
# so the two never wait on each other in a cycle: with five workers they did, and PostgreSQL called a deadlock.
_WAITING = (select(OutboxMessage.id, OutboxMessage.template, OutboxMessage.data)
            .where(OutboxMessage.template.is_not(None)).order_by(OutboxMessage.id)
            .with_for_update(of=OutboxMessage))


def render_due(*, session: Session, limit: int = 500) -> int:
    """Render the stored messages still waiting as a template and data (oldest first); returns how many.

    The courier calls it before delivering, and every reader before reading, so nobody sees a message unrendered.
    Written as one bulk UPDATE by primary key: the rows are read as columns, never loaded as objects.
    """
    waiting = session.exec(_WAITING.limit(limit)).all()
    if not waiting:
        return 0
    rendered = []
    for message_id, template, data in waiting:
        mail = render(template, **(data or {}))
        rendered.append({"id": message_id, "subject": mail.subject, "text": mail.text, "html": mail.html,
                         "template": None, "data": None})
    session.exec(update(OutboxMessage), params=rendered)
    ids = {row["id"] for row in rendered}
    for held in [obj for obj in session.identity_map.values() if isinstance(obj, OutboxMessage) and obj.id in ids]:
        session.expire(held)  # a message this session already holds is read again with its rendered parts
    return len(rendered)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def flush_outbox(
    *, session: Session, backend: MailBackend | None = None, now: datetime | None = None, limit: int = 50
) -> int:
    """Try to deliver every message that is due; returns how many were delivered.

    Each message is committed on its own, so one failure does not undo the others.
    """
    backend = backend or configured_backend()
    now = now or utcnow()
    render_due(session=session)
    session.commit()  # the rows it rendered are not held while this flush waits for others (see _WAITING)
    # Rendered only: one another transaction is rendering now is sent on the next round.
    is_due = (OutboxMessage.status == "pending", OutboxMessage.template.is_(None),
              or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
    if isinstance(backend, OutboxBackend):
        # Storing was the delivery: nothing can fail or hang, so no lease is needed, and one statement marks
        # every due message sent. A lease and a result per message were three write transactions per mail,
        # a fifth of a claim's time on SQLite (the claim request's profile in docs/profiles/).
        delivered = session.exec(update(OutboxMessage).where(*is_due).values(
            status="sent", sent_at=now, attempts=OutboxMessage.attempts + 1, last_error=None)).rowcount
        session.commit()
        return delivered
    due = session.exec(select(OutboxMessage).where(*is_due).order_by(OutboxMessage.id).limit(limit)).all()
    delivered = 0
    for message in due:
        if not _take(session, message, now):
            continue
        try:
            backend.send(message)
        except Exception as exc:  # any transport failure: keep the message and say why
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            message.next_attempt_at = now + _backoff(message.attempts)
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
            logger.warning("mail to %s not delivered (attempt %d): %s", message.to, message.attempts, exc)
        else:
            message.status, message.sent_at, message.last_error = "sent", now, None
            delivered += 1
        session.add(message)
        session.commit()
    return delivered


def _take(session: Session, message: OutboxMessage, now: datetime) -> bool:
    """Lease a due message for one attempt; False if another thread or worker took it first.

    Every request that queues mail flushes, and so does each worker's timer: without this, two of them
    could send the same message. `attempts` doubles as a version number for the conditional UPDATE.
    """
    taken = session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == "pending",
               OutboxMessage.attempts == message.attempts)
        .values(attempts=message.attempts + 1, next_attempt_at=now + SEND_LEASE)
    ).rowcount == 1
    session.commit()  # the lease must be visible before the slow send starts
    if taken:
        session.refresh(message)
        # Send outside any transaction: on SQLite an open one holds the write lock (BEGIN IMMEDIATE, see db.py)
        # and would stop every shopper for as long as the SMTP server takes. flush_outbox adds it back.
        session.expunge(message)
        session.commit()
    return taken


def links(message: OutboxMessage) -> list[str]:
    """The URLs in a message's text part, in order, without repeats."""
    return list(dict.fromkeys(_LINK_RE.findall(message.text)))


def list_messages(
    *, session: Session, to: str | None = None, search: str | None = None, limit: int = 50
) -> list[OutboxMessage]:
    """Stored messages, newest first: all, those to one address (any case), or those whose recipient or
    subject contains `search` (any case), as Mailpit's search box does.

    Raises:
        InvalidInput: `to` or `search` is not text a recipient or subject could have.
    """
    render_due(session=session)
    statement = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(max(1, min(limit, 500)))
    if to:
        to = inputs.one_line(to, field="to", max_length=inputs.MAX_EMAIL)
        statement = statement.where(OutboxMessage.to == to.lower())
    if search:
        words = inputs.one_line(search, field="search", max_length=inputs.MAX_EMAIL).lower()
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(or_(func.lower(OutboxMessage.to).like(pattern, escape="\\"),
                                        func.lower(OutboxMessage.subject).like(pattern, escape="\\")))
    return list(session.exec(statement).all())


def open_message(*, session: Session, message_id: int, now: datetime | None = None) -> OutboxMessage | None:
    """One stored message, marked read the first time it is opened."""
    render_due(session=session)
    message = session.get(OutboxMessage, message_id)
    if message is not None and message.read_at is None:
        message.read_at = now or utcnow()
        session.add(message)
    return message


def unread_count(*, session: Session) -> int:
    """Messages nobody has opened in the viewer yet."""
    return session.exec(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.read_at.is_(None))).one()


def newest_id(*, session: Session) -> int:
    """The newest message's ID (0 when there is none): a cheap way to see whether anything arrived."""
    return session.exec(select(func.max(OutboxMessage.id))).one() or 0


def count_since(*, session: Session, after_id: int) -> int:
    """How many messages arrived after the message `after_id`: the viewer says how many its search hides."""
    return session.exec(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.id > after_id)).one()


def source(message: OutboxMessage) -> str:
    """The message as a mail server receives it: headers and MIME parts."""
    return build_email(message, sender=get_settings().mail_from).as_string()


def clear(*, session: Session) -> int:
    """Empty the outbox; returns how many messages were removed."""
    return session.exec(delete(OutboxMessage)).rowcount or 0
