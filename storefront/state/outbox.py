"""The mail outbox viewer (a tiny Mailpit): newest first, search, open one (HTML, text, source), clear all.

The address holds the search and the open message (`/outbox?q=…&message=…`): the page's load reads both, so a
reload or a shared link shows the same thing, and the Back button closes a message. Open viewers are refreshed
as mail arrives (state/outbox_live.py); opening a message marks it read.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from storefront import routes
from storefront.config import get_settings
from storefront.models import OutboxMessage
from storefront.services import outbox
from storefront.services.errors import StorefrontError
from storefront.services.runner import arun
from storefront.state import outbox_viewers
from storefront.state.auth import AuthState
from storefront.state.forms import UNREADABLE, field_text, form_values, text_arg

# Links inside the sandboxed preview open in the top window, like a mail client would.
_BASE_TAG = '<base target="_top">'
MAX_QUERY = 254


def _when(message: OutboxMessage) -> str:
    return message.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclasses.dataclass(frozen=True)
class MessageRow:
    """One line of the list. The address comes in two parts so a narrow column breaks it at the @ only."""

    id: str
    to_local: str
    to_domain: str
    subject: str
    when: str
    status: str
    unread: bool
    href: str  # this message opened, the search kept


class OutboxState(rx.State):
    messages: list[MessageRow] = []
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
    # New mail the search hides, since the list was last asked for (it arrived while the page was open).
    hidden_new: int = 0
    # Where focus goes once this load has drawn the page (assets/storefront.js): "message" (an opened
    # message's subject), "row:<id>" (the row of the message just closed), "filter" (a search's answer), "".
    focus: str = ""
    _newest_seen: int = 0

    @rx.var
    def list_url(self) -> str:
        """The list with the current search: where Close and Back to messages go."""
        return routes.outbox_url(self.query)

    def _allowed(self) -> bool:
        # Ask the server's setting on every event, not the page's copy of it.
        return get_settings().outbox_enabled

    async def _list(self) -> None:
        """Read the list (and the unread count) again: on load, and when new mail arrives."""
        try:
            found = await arun(outbox.list_messages, search=self.query or None, limit=200)
            arrived = await arun(outbox.count_since, after_id=self._newest_seen) if self.query else 0
        except StorefrontError as exc:
            self.notice, self.messages, self.hidden_new = exc.message, [], 0
            return
        self.hidden_new = max(0, arrived - sum(1 for m in found if m.id > self._newest_seen))
        self.messages = [
            MessageRow(id=str(m.id), to_local=m.to.rpartition("@")[0], to_domain="@" + m.to.rpartition("@")[2],
                       subject=m.subject, when=_when(m), status=m.status, unread=m.read_at is None,
                       href=routes.outbox_url(self.query, str(m.id)))
            for m in found
        ]
        (await self.get_state(AuthState)).outbox_unread = await arun(outbox.unread_count)

    @rx.event
    async def load(self):
        """on_load: show what the address asks for (its search, its open message)."""
        params = self.router.url.query_parameters
        query = text_arg(params.get("q", ""), 1000)
        query = (query or "").strip()[:MAX_QUERY]
        closed = self.selected_id
        searched = query != self.query
        self.notice, self.query, self.selected_id = "", query, ""
        if not self._allowed():
            return
        outbox_viewers.watch(self.router.session.client_token)
        self._newest_seen = await arun(outbox.newest_id)
        wanted = params.get("message", "")
        if wanted:
            await self._open(wanted)
        else:
            await self._list()
        if self.selected_id:
            self.focus = "message"
        elif closed and any(m.id == closed for m in self.messages):
            self.focus = f"row:{closed}"
        else:
            self.focus = "filter" if searched else ""

    @rx.event
    def search(self, form: dict):
        """The search goes into the address; the load that follows lists what it finds."""
        form = form_values(form)
        query = field_text(form, "search").strip()[:MAX_QUERY] if form is not None else ""
        return rx.redirect(routes.outbox_url(query))

    async def _open(self, message_id: str) -> None:
        message_id = text_arg(message_id, 12)
        if message_id is None or not message_id.isascii() or not message_id.isdigit():
            self.notice = UNREADABLE
            await self._list()
            return
        message = await arun(outbox.open_message, message_id=int(message_id))
        if message is None:
            self.notice = "That message is gone: it was cleared from the outbox."
            await self._list()
            return
        self.selected_id, self.subject = str(message.id), message.subject
        self.to, self.when = message.to, _when(message)
        self.status = message.status if not message.last_error else f"{message.status}: {message.last_error}"
        self.text, self.links, self.source = message.text, outbox.links(message), outbox.source(message)
        self.html = message.html.replace("<head>", "<head>" + _BASE_TAG, 1)
        await self._list()  # it is read now

    @rx.event
    async def refresh(self):
        if self._allowed():
            self._newest_seen = await arun(outbox.newest_id)
            await self._list()

    @rx.event
    async def clear(self):
        if not self._allowed():
            return
        removed = await arun(outbox.clear)
        self.selected_id, self.focus = "", ""
        self.notice = f"Outbox cleared ({removed} message{'s' if removed != 1 else ''} removed)."
        await self._list()
