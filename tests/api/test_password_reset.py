"""Medusa v1's password reset over the API: 204 always, then 200 {customer} or 401/400."""

from __future__ import annotations

import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from storefront.services import password_reset
from storefront.services.courier import courier
from tests.api.conftest import make_client, register
from tests.api.test_store_shop import assert_medusa_error

NEW = "a brand new passphrase"


def reset_token(client, to: str) -> str:
    courier.wait_idle()  # the link is looked up and mailed after the answer
    mail = next(m for m in client.get("/api/outbox/messages", params={"to": to}).json()["messages"]
                if "Reset" in m["subject"])
    return parse_qs(urlsplit(mail["links"][0]).query)["token"][0]


def test_reset_by_api_ends_every_session_and_the_new_password_logs_in(client, api_env):
    register(client)
    with make_client() as other_device:
        assert other_device.post("/store/auth", json={"email": "ada@example.com",
                                                      "password": "correct horse battery"}).status_code == 200
        assert client.post("/store/customers/password-token", json={"email": "ada@example.com"}).status_code == 204
        token = reset_token(client, "ada@example.com")
        done = client.post("/store/customers/password-reset", json={"email": "ada@example.com", "token": token,
                                                                     "password": NEW})
        assert done.status_code == 200 and done.json()["customer"]["email"] == "ada@example.com"
        assert other_device.get("/store/auth").status_code == 401  # every session ended
    assert client.get("/store/auth").status_code == 401
    assert client.post("/store/auth", json={"email": "ada@example.com", "password": NEW}).status_code == 200
    again = client.post("/store/customers/password-reset", json={"email": "ada@example.com", "token": token,
                                                                  "password": "yet another phrase"})
    assert_medusa_error(again, 401, "unauthorized")


def test_asking_answers_204_for_unknown_emails_and_sends_nothing(client):
    assert client.post("/store/customers/password-token", json={"email": "nobody@example.com"}).status_code == 204
    courier.wait_idle()
    assert client.get("/api/outbox/messages").json()["messages"] == []


@pytest.mark.parametrize("body", [{}, {"email": 5}, {"email": "not an email"}])
def test_asking_with_a_malformed_body_is_400(client, body):
    assert_medusa_error(client.post("/store/customers/password-token", json=body), 400, "invalid_data")


def test_bad_tokens_are_401_and_weak_passwords_400(client):
    register(client)
    client.post("/store/customers/password-token", json={"email": "ada@example.com"})
    token = reset_token(client, "ada@example.com")
    for body, status, type_ in [
        ({"email": "ada@example.com", "token": "not.a.token", "password": NEW}, 401, "unauthorized"),
        ({"email": "grace@example.com", "token": token, "password": NEW}, 401, "unauthorized"),
        ({"email": "ada@example.com", "token": token, "password": "short"}, 400, "invalid_data"),
        ({"email": "ada@example.com", "token": token}, 400, "invalid_data"),
    ]:
        assert_medusa_error(client.post("/store/customers/password-reset", json=body), status, type_)
    assert client.post("/store/customers/password-reset", json={"email": "ada@example.com", "token": token,
                                                                 "password": NEW}).status_code == 200


@pytest.mark.parametrize("email", ["ada@example.com", "nobody@example.com"])
def test_asking_does_the_same_on_the_request_path_for_any_email(client, monkeypatch, email):
    """The account is looked up and the link mailed after the 204, so the answer's timing tells nothing."""
    register(client)
    real, release, where = password_reset.request_reset, threading.Event(), []

    def held_back(**kwargs):  # the lookup and the mail, held until the answer has been received
        where.append(threading.current_thread().name)
        release.wait(10)
        return real(**kwargs)

    monkeypatch.setattr(password_reset, "request_reset", held_back)
    started = time.monotonic()
    answer = client.post("/store/customers/password-token", json={"email": email})
    answered_in = time.monotonic() - started
    release.set()
    assert answer.status_code == 204 and answered_in < 5
    courier.wait_idle()
    assert where == ["storefront-mail"]
    sent = [m for m in client.get("/api/outbox/messages").json()["messages"] if "Reset" in m["subject"]]
    assert len(sent) == (email == "ada@example.com")
