"""The outbox JSON API and the UI's cookie endpoints."""

from storefront import config
from storefront.db import session_scope
from storefront.services import sessions
from tests.api.conftest import guest_order, make_client, register
from tests.api.test_store_shop import assert_medusa_error


def test_outbox_lists_newest_first_filters_and_clears(client):
    first = guest_order(client, "one@example.com")
    second = guest_order(client, "two@example.com")
    messages = client.get("/api/outbox/messages").json()["messages"]
    assert [m["to"] for m in messages] == ["two@example.com", "one@example.com"]
    assert set(messages[0]) >= {"id", "to", "subject", "text", "html", "created_at", "links"}
    assert second["id"] in messages[0]["subject"]
    only = client.get("/api/outbox/messages", params={"to": "ONE@example.com", "limit": 5}).json()["messages"]
    assert [m["to"] for m in only] == ["one@example.com"] and first["id"] in only[0]["text"]
    assert len(client.get("/api/outbox/messages", params={"limit": 1}).json()["messages"]) == 1
    assert_medusa_error(client.get("/api/outbox/messages", params={"limit": "x"}), 400, "invalid_data")
    assert client.delete("/api/outbox/messages").json() == {"deleted": 2}
    assert client.get("/api/outbox/messages").json()["messages"] == []


def test_outbox_is_gone_when_disabled(client, api_env):
    api_env.setenv("OUTBOX_ENABLED", "0")
    config.get_settings.cache_clear()
    assert client.get("/api/outbox/messages").status_code == 404
    assert client.delete("/api/outbox/messages").status_code == 404


def test_claim_mail_has_exactly_one_verify_and_one_decline_link(client, other_client):
    order = guest_order(other_client, "guest@example.com")
    register(client)
    client.post("/store/orders/batch/customer/token", json={"order_ids": [order["id"]]})
    (mail,) = [m for m in client.get("/api/outbox/messages").json()["messages"] if "claim" in m["subject"]]
    assert "Confirm" in mail["subject"]
    assert [link.split("?")[0] for link in mail["links"]] == ["http://localhost:3000/verify/",
                                                              "http://localhost:3000/decline/"]
    assert mail["html"].count("/verify/?token=") == 1 and mail["html"].count("/decline/?token=") == 1


def _ticket(customer_email: str) -> str:
    from storefront.services import accounts

    with session_scope() as session:
        customer = accounts.get_by_email(session=session, email=customer_email)
        return sessions.create_session(session=session, customer_id=customer.id, ticket=True)


def test_session_begin_redeems_a_ticket_once_and_sets_the_cookie(api_env):
    with make_client() as registrar:
        register(registrar)
    ticket = _ticket("ada@example.com")
    with make_client() as browser:
        response = browser.post("/api/session/begin", data={"ticket": ticket, "next": "/claim"})
        assert response.status_code == 303 and response.headers["location"] == "/claim/"
        assert "httponly" in response.headers["set-cookie"].lower()
        assert browser.get("/store/auth").status_code == 200
    with make_client() as again:
        replay = again.post("/api/session/begin", data={"ticket": ticket, "next": "/claim"})
        assert replay.status_code == 303 and replay.headers["location"].startswith("/login")
        assert "set-cookie" not in replay.headers


def test_session_begin_only_follows_local_next(api_env):
    with make_client() as registrar:
        register(registrar)
    with make_client() as browser:
        response = browser.post("/api/session/begin",
                                data={"ticket": _ticket("ada@example.com"), "next": "https://evil.example.com"})
        assert response.headers["location"] == "/account/"


def test_session_end_can_send_the_browser_on_locally(client):
    register(client)
    response = client.post("/api/session/end", data={"next": "/login?next=%2Fverify"})
    assert response.headers["location"] == "/login/?next=%2Fverify"
    assert client.post("/api/session/end", data={"next": "//evil.example.com"}).headers["location"] == "/"


def test_session_end_revokes_and_clears(client):
    register(client)
    response = client.post("/api/session/end")
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert 'sf_session=""' in response.headers["set-cookie"] or "max-age=0" in response.headers["set-cookie"].lower()
    assert client.get("/store/auth").status_code == 401


def test_latest_message_to_an_address_or_404(client):
    guest_order(client, "one@example.com")
    second = guest_order(client, "two@example.com")
    newest = client.get("/api/outbox/messages/latest")
    assert newest.status_code == 200 and second["id"] in newest.json()["subject"]
    assert client.get("/api/outbox/messages/latest", params={"to": "ONE@example.com"}).json()["to"] == "one@example.com"
    assert_medusa_error(client.get("/api/outbox/messages/latest", params={"to": "nobody@example.com"}), 404,
                        "not_found")
