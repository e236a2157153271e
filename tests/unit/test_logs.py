"""Log records are scrubbed as they are made: what a library logs, not only what the app logs."""

from __future__ import annotations

import io
import logging

import pytest

from storefront import logs


@pytest.fixture
def log_text():
    logs.install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    yield stream.getvalue
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_an_undispatchable_event_as_reflex_logs_it_keeps_no_secret(log_text):
    event = ("Event(name='reflex___state____state.nope.x', router_data={'pathname': '/verify/', "
             "'query': {'token': 'LINKSECRET'}, 'headers': {'cookie': 'x={\"a\":1}; sf_session=SESSIONSECRET', "
             "'authorization': 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzaWQiOjF9.SIGNATURE'}, "
             "'token': '0b6c9c1e-1111-4222-8333-444455556666'}, payload={'form': {'password': \"it's SECRET, }\"}})")
    try:
        raise KeyError(f"No registered handler found for event: {event}")
    except KeyError:
        logging.getLogger("reflex_base.event.processor.event_processor").exception(
            f"Error processing event queue entry for {event} [txid=1]:")
    written = log_text()
    for secret in ("LINKSECRET", "SESSIONSECRET", "eyJhbGciOiJIUzI1NiJ9", "SIGNATURE",
                   "0b6c9c1e-1111-4222-8333-444455556666", "it's SECRET"):
        assert secret not in written
    assert "Traceback" in written and "nope.x" in written  # the rest of the story is still told


@pytest.mark.parametrize(("message", "args"), [
    ("GET /reset-password/?token=%s&x=1", ("RESETSECRET",)),
    ("Cookie: %s", ("sf_session=SESSIONSECRET; sf_device=DEVICESECRET",)),
    ("%s", ({"password": "PWSECRET with spaces", "ticket": "TICKETSECRET"},)),
    ('{"token": "%s"}', ("JSONSECRET",)),
])
def test_secrets_in_arguments_are_redacted_too(log_text, message, args):
    logging.getLogger("anything.at.all").warning(message, *args)
    assert "SECRET" not in log_text() and "[redacted]" in log_text()


def test_deltas_for_closed_tabs_are_not_logged_but_other_reflex_warnings_are(log_text):
    reflex_app = logging.getLogger("reflex.app")
    reflex_app.warning("Attempting to send delta to disconnected client %r", "0b6c9c1e-1111-4222-8333-444455556666")
    reflex_app.warning("Frontend version 1 does not match")
    assert "disconnected client" not in log_text() and "Frontend version 1" in log_text()
