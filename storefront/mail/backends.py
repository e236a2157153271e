"""Mail backends: a few lines each behind one method, `send(message)`."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib


class Mail(Protocol):
    to: str
    subject: str
    text: str
    html: str


def build_email(message: Mail, *, sender: str) -> EmailMessage:
    """The MIME message as it goes out: a text part and an HTML alternative (the outbox shows it as Source)."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email


class MailBackend(Protocol):
    """Delivers one stored message or raises."""

    def send(self, message: Mail) -> None: ...


class OutboxBackend:
    """The message is already stored in the outbox table: that is the delivery."""

    def send(self, message: Mail) -> None:
        return None


class MemoryBackend:
    """Keeps sent messages in a list (tests)."""

    def __init__(self) -> None:
        self.sent: list[Mail] = []

    def send(self, message: Mail) -> None:
        self.sent.append(message)


class SmtpBackend:
    """Delivers over SMTP: `smtp://` (STARTTLS when offered), `smtps://` (TLS from the start)."""

    def __init__(self, url: str, *, sender: str, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:port or smtps://...")
        self.hostname = parts.hostname
        self.use_tls = parts.scheme == "smtps"
        self.port = parts.port or (465 if self.use_tls else 587)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender
        self.timeout = timeout

    def build(self, message: Mail) -> EmailMessage:
        return build_email(message, sender=self.sender)

    async def send_async(self, message: Mail) -> None:
        await aiosmtplib.send(
            self.build(message), hostname=self.hostname, port=self.port, username=self.username,
            password=self.password, use_tls=self.use_tls, timeout=self.timeout,
        )

    def send(self, message: Mail) -> None:
        # The services call this from worker threads, where a private event loop is fine. A thread that
        # already runs a loop cannot start another, so there the send gets a short-lived thread of its own.
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(self.send_async(message))
            return
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, self.send_async(message)).result()
