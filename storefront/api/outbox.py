"""The outbox JSON API (like Mailpit's), for tests and demos. Gone when OUTBOX_ENABLED=0."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefront import routes
from storefront.api.common import ApiError, endpoint
from storefront.config import get_settings
from storefront.models import OutboxMessage
from storefront.services import inputs, outbox
from storefront.services.runner import arun


def message_json(message: OutboxMessage) -> dict:
    return {
        "id": message.id, "to": message.to, "subject": message.subject, "text": message.text,
        "html": message.html, "created_at": message.created_at.isoformat(), "status": message.status,
        "links": outbox.links(message),
    }


def _enabled() -> None:
    if not get_settings().outbox_enabled:
        raise ApiError("not_found", "The outbox is turned off.")


@endpoint
async def messages(request: Request) -> Response:
    _enabled()
    if request.method == "DELETE":  # anything else routed here is GET or HEAD
        removed = await arun(outbox.clear)
        return JSONResponse({"deleted": removed})
    limit = inputs.whole_number(request.query_params.get("limit"), name="limit", default=50, low=1, high=500)
    found = await arun(outbox.list_messages, to=request.query_params.get("to"), limit=limit)
    return JSONResponse({"messages": [message_json(m) for m in found]})


@endpoint
async def latest(request: Request) -> Response:
    """The newest message (to one address with `?to=`), as Mailpit's `/api/v1/message/latest`; 404 when none."""
    _enabled()
    found = await arun(outbox.list_messages, to=request.query_params.get("to"), limit=1)
    if not found:
        raise ApiError("not_found", "No message yet.")
    return JSONResponse(message_json(found[0]))


ROUTES = [
    Route(routes.OUTBOX_API, messages, methods=["GET", "DELETE"]),
    Route(routes.OUTBOX_API + "/latest", latest, methods=["GET"]),
]
