"""The mail outbox viewer: newest first, filter by recipient, open one, clear all."""

from __future__ import annotations

import reflex as rx

from storefront.config import get_settings
from storefront.models import OutboxMessage
from storefront.services import outbox
from storefront.services.errors import StorefrontError
from storefront.services.runner import arun
from storefront.state.forms import UNREADABLE, field_text, form_values, text_arg

# Links inside the sandboxed preview open in the top window, like a mail client would.
_BASE_TAG = '<base target="_top">'


def _when(message: OutboxMessage) -> str:
    return message.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")


class OutboxState(rx.State):
    # Its own copy of the setting (AuthState's is shown in the header): the page hides the viewer by it.
    outbox_enabled: bool = get_settings().outbox_enabled
    messages: list[dict[str, str]] = []
    recipient: str = ""
    selected_id: str = ""
    subject: str = ""
    to: str = ""
    when: str = ""
    status: str = ""
    text: str = ""
    html: str = ""
    links: list[str] = []
    notice: str = ""

    def _allowed(self) -> bool:
        # Ask the server's setting on every event, not the page's copy of it.
        self.outbox_enabled = get_settings().outbox_enabled
        return self.outbox_enabled

    async def _list(self) -> None:
        try:
            found = await arun(outbox.list_messages, to=self.recipient or None, limit=200)
        except StorefrontError as exc:
            self.notice, self.messages = exc.message, []
            return
        self.messages = [
            {"id": str(m.id), "to": m.to, "subject": m.subject, "when": _when(m), "status": m.status}
            for m in found
        ]

    @rx.event
    async def load(self):
        self.notice = ""
        self.selected_id = ""
        if self._allowed():
            await self._list()

    @rx.event
    async def filter(self, form: dict):
        form = form_values(form)
        self.recipient = field_text(form, "recipient").strip()[:254] if form is not None else ""
        if self._allowed():
            await self._list()

    @rx.event
    async def show_all(self):
        self.recipient = ""
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
        message = await arun(outbox.get_message, message_id=int(message_id))
        if message is None:
            self.notice = "That message is gone. Reload the list."
            return
        self.selected_id, self.subject = str(message.id), message.subject
        self.to, self.when = message.to, _when(message)
        self.status = message.status if not message.last_error else f"{message.status}: {message.last_error}"
        self.text, self.links = message.text, outbox.links(message)
        self.html = message.html.replace("<head>", "<head>" + _BASE_TAG, 1)

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
