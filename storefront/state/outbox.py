"""The mail outbox viewer (a tiny Mailpit): newest first, search, open one (HTML, text, source), clear all.

Open viewers are refreshed as mail arrives (state/outbox_live.py); opening a message marks it read.
"""

from __future__ import annotations

import reflex as rx

from storefront.config import get_settings
from storefront.models import OutboxMessage
from storefront.services import outbox
from storefront.services.errors import StorefrontError
from storefront.services.runner import arun
from storefront.state import outbox_live
from storefront.state.auth import AuthState
from storefront.state.forms import UNREADABLE, field_text, form_values, text_arg

# Links inside the sandboxed preview open in the top window, like a mail client would.
_BASE_TAG = '<base target="_top">'


def _when(message: OutboxMessage) -> str:
    return message.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")


class OutboxState(rx.State):
    messages: list[dict[str, str]] = []
    query: str = ""
    selected_id: str = ""
    subject: str = ""
    to: str = ""
    when: str = ""
    status: str = ""
    text: str = ""
    html: str = ""
    source: str = ""
    links: list[str] = []
    notice: str = ""

    def _allowed(self) -> bool:
        # Ask the server's setting on every event, not the page's copy of it.
        return get_settings().outbox_enabled

    async def _list(self) -> None:
        """Read the list (and the unread count) again: on load, on search, and when new mail arrives."""
        try:
            found = await arun(outbox.list_messages, search=self.query or None, limit=200)
        except StorefrontError as exc:
            self.notice, self.messages = exc.message, []
            return
        self.messages = [
            {"id": str(m.id), "to": m.to, "subject": m.subject, "when": _when(m), "status": m.status,
             "unread": "unread" if m.read_at is None else ""}
            for m in found
        ]
        (await self.get_state(AuthState)).outbox_unread = await arun(outbox.unread_count)

    @rx.event
    async def load(self):
        self.notice = ""
        self.selected_id = ""
        if self._allowed():
            outbox_live.watch(self.router.session.client_token)
            await self._list()

    @rx.event
    async def search(self, form: dict):
        form = form_values(form)
        self.query = field_text(form, "search").strip()[:254] if form is not None else ""
        if self._allowed():
            await self._list()

    @rx.event
    async def show_all(self):
        self.query = ""
        if self._allowed():
            await self._list()

    @rx.event
    async def open(self, message_id: str):
        if not self._allowed():
            return
        message_id = text_arg(message_id, 12)
        if message_id is None or not message_id.isascii() or not message_id.isdigit():
            self.notice = UNREADABLE
            return
        message = await arun(outbox.open_message, message_id=int(message_id))
        if message is None:
            self.notice = "That message is gone. Reload the list."
            return
        self.selected_id, self.subject = str(message.id), message.subject
        self.to, self.when = message.to, _when(message)
        self.status = message.status if not message.last_error else f"{message.status}: {message.last_error}"
        self.text, self.links, self.source = message.text, outbox.links(message), outbox.source(message)
        self.html = message.html.replace("<head>", "<head>" + _BASE_TAG, 1)
        await self._list()  # it is read now

    @rx.event
    def close(self):
        self.selected_id = ""

    @rx.event
    async def clear(self):
        if not self._allowed():
            return
        removed = await arun(outbox.clear)
        self.selected_id = ""
        self.notice = f"Outbox cleared ({removed} message{'s' if removed != 1 else ''} removed)."
        await self._list()
