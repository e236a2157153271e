"""Registration, login sessions (HttpOnly cookie) and the customer's own data."""

import pytest

from tests.api.conftest import make_client, register
from tests.api.test_store_shop import assert_medusa_error

CREDENTIALS = {"email": "ada@example.com", "password": "correct horse battery"}


def session_cookie_header(response) -> str:
    return next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("sf_session="))


def test_register_sets_an_httponly_lax_session_and_returns_no_secrets(client):
    response = client.post("/store/customers", json={"first_name": "Ada", "last_name": "Lovelace", **CREDENTIALS})
    assert response.status_code == 200
    customer = response.json()["customer"]
    assert customer["email"] == "ada@example.com" and customer["has_account"] is True
    assert "password" not in response.text and "$argon2" not in response.text
    cookie = session_cookie_header(response).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert token not in response.text.lower()
    assert client.get("/store/auth").json()["customer"]["email"] == "ada@example.com"


def test_duplicate_registration_is_422(client, other_client):
    register(client)
    response = other_client.post("/store/customers", json={"first_name": "A", "last_name": "B",
                                                           "email": "ADA@example.com", "password": "another good one"})
    assert_medusa_error(response, 422, "duplicate_error")


@pytest.mark.parametrize("body", [{"first_name": "A", "last_name": "B", "email": "a@b.co", "password": None},
                                  {"first_name": "A", "last_name": "B", "email": "a@b.co", "password": "short"},
                                  {"first_name": "A", "last_name": "B", "email": "nope", "password": "long enough pw"},
                                  {"first_name": 1, "last_name": "B", "email": "a@b.co", "password": "long enough pw"}])
def test_bad_registrations_are_400(client, body):
    assert_medusa_error(client.post("/store/customers", json=body), 400, "invalid_data")


@pytest.mark.parametrize("body", [{}, {"first_name": "A", "last_name": "B", "email": "a@b.co"}])
def test_a_sign_up_with_no_password_and_no_registration_token_is_401(client, body):
    # v1's body always carries a password; without one (and without v2's bearer) there is no identity.
    response = client.post("/store/customers", json=body)
    assert_medusa_error(response, 401, "unauthorized")
    assert "/auth/customer/emailpass/register" in response.json()["message"]
    assert "set-cookie" not in response.headers


def test_login_logout_and_me(client, other_client):
    register(other_client)
    assert_medusa_error(client.get("/store/auth"), 401, "unauthorized")
    assert_medusa_error(client.get("/store/customers/me"), 401, "unauthorized")
    assert_medusa_error(client.get("/store/customers/me/orders"), 401, "unauthorized")
    assert_medusa_error(client.post("/store/auth", json={**CREDENTIALS, "password": "wrong password"}), 401,
                        "unauthorized")
    assert_medusa_error(client.post("/store/auth", json={"email": "nobody@example.com", "password": "x" * 9}), 401,
                        "unauthorized")
    response = client.post("/store/auth", json=CREDENTIALS)
    assert response.status_code == 200 and "httponly" in session_cookie_header(response).lower()
    assert client.get("/store/customers/me").json()["customer"]["email"] == CREDENTIALS["email"]
    old_cookie = client.cookies.get("sf_session")
    assert client.delete("/store/auth").status_code == 200
    assert_medusa_error(client.get("/store/auth"), 401, "unauthorized")
    client.cookies.set("sf_session", old_cookie)  # a revoked session stays dead
    assert_medusa_error(client.get("/store/auth"), 401, "unauthorized")


def test_each_login_gets_a_new_session_token(client):
    register(client)
    first = client.cookies.get("sf_session")
    client.post("/store/auth", json=CREDENTIALS)
    assert client.cookies.get("sf_session") != first


def test_repeated_failures_are_throttled(client, other_client):
    register(other_client)
    for _ in range(5):
        client.post("/store/auth", json={**CREDENTIALS, "password": "wrong password"})
    response = client.post("/store/auth", json=CREDENTIALS)
    assert response.status_code == 429 and response.json()["type"] == "too_many_requests"


@pytest.mark.parametrize("query", ["?limit=0", "?limit=abc", "?offset=-1", "?limit=1000"])
def test_bad_paging_is_400(client, query):
    register(client)
    assert_medusa_error(client.get("/store/customers/me/orders" + query), 400, "invalid_data")


def test_garbage_cookie_is_just_logged_out(client):
    client.cookies.set("sf_session", "garbage")
    assert_medusa_error(client.get("/store/auth"), 401, "unauthorized")



def _strangers_lock(email: str = "ada@example.com") -> None:
    """Ten wrong passwords for `email` from ten addresses: the account's limit for new devices is used up."""
    for n in range(10):
        with make_client(peer=f"198.51.100.{n}") as stranger:
            answer = stranger.post("/store/auth", json={"email": email, "password": "wrong password"})
            assert answer.status_code in (401, 429)


def device_cookie_header(response) -> str:
    return next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("sf_device="))


@pytest.mark.parametrize("login", ["/store/auth", "/auth/customer/emailpass"])
def test_strangers_cannot_lock_the_owner_out_of_a_device_that_logged_in_before(client, login):
    register(client)
    cookie = device_cookie_header(client.post(login, json=CREDENTIALS)).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=" in cookie
    for _ in range(3):  # a stranger renewing the lockout again and again
        _strangers_lock()
        assert client.post(login, json=CREDENTIALS).status_code == 200, "the owner's known device is let in"
        assert client.post("/store/auth" if login != "/store/auth" else "/auth/customer/emailpass",
                           json=CREDENTIALS).status_code == 200  # one rule for both logins
    with make_client(peer="203.0.113.9") as new_device:
        refused = new_device.post(login, json=CREDENTIALS)
        assert_medusa_error(refused, 429, "too_many_requests")
        assert "new devices" in refused.json()["message"] and int(refused.headers["retry-after"]) <= 300
