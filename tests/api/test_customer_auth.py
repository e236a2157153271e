"""Medusa v2's customer auth for @medusajs/js-sdk: JWTs from /auth/customer/emailpass(/register), accepted as
`Authorization: Bearer` beside the cookie, traded for the cookie at /auth/session, refreshed, and revoked."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from storefront import config
from storefront.models import utcnow
from storefront.services import bearer, registrations
from storefront.services.runner import run_steps
from tests.api.conftest import make_client, register
from tests.api.test_attacks import in_parallel
from tests.api.test_hostile_input import row_counts
from tests.api.test_store_auth import CREDENTIALS, session_cookie_header
from tests.api.test_store_shop import assert_medusa_error

LOGIN = "/auth/customer/emailpass"
REGISTER = "/auth/customer/emailpass/register"
NAMES = {"first_name": "Ada", "last_name": "Lovelace"}


def bearer_headers(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def sign_up_v2(client, email: str = "ada@example.com") -> dict:
    """register -> POST /store/customers with the registration token -> login, as js-sdk 2.x does; bearer headers."""
    registration = client.post(REGISTER, json={"email": email, "password": CREDENTIALS["password"]})
    assert registration.status_code == 200, registration.text
    created = client.post("/store/customers", json={"email": email, **NAMES},
                          headers=bearer_headers(registration.json()["token"]))
    assert created.status_code == 200, created.text
    return login_v2(client, email)


def login_v2(client, email: str = "ada@example.com") -> dict:
    response = client.post(LOGIN, json={"email": email, "password": CREDENTIALS["password"]})
    assert response.status_code == 200, response.text
    assert "sf_session" not in response.headers.get("set-cookie", "")  # the login stays in the bearer token
    return bearer_headers(response.json()["token"])


def test_two_step_sign_up_and_login_give_a_bearer_token_every_store_route_accepts(client):
    registration = client.post(REGISTER, json={"email": "Ada@Example.com", "password": CREDENTIALS["password"]})
    assert registration.status_code == 200 and set(registration.json()) == {"token"}
    assert_medusa_error(client.post(LOGIN, json=CREDENTIALS), 401, "unauthorized")  # no customer yet
    created = client.post("/store/customers", json=NAMES, headers=bearer_headers(registration.json()["token"]))
    assert created.status_code == 200 and created.json()["customer"]["email"] == "ada@example.com"
    assert "set-cookie" not in created.headers and "$argon2" not in created.text
    again = client.post("/store/customers", json={"first_name": "Eve", "last_name": "V"},
                        headers=bearer_headers(registration.json()["token"]))
    assert_medusa_error(again, 401, "unauthorized")  # a registration works once
    headers = login_v2(client)
    for path in ("/store/customers/me", "/store/auth"):
        assert client.get(path, headers=headers).json()["customer"]["email"] == "ada@example.com"
    assert client.get("/store/customers/me/orders", headers=headers).json()["count"] == 0
    assert_medusa_error(client.get("/store/customers/me"), 401, "unauthorized")  # no cookie was set


def test_register_refuses_a_taken_email_a_weak_password_and_a_bad_body(client, other_client):
    register(other_client, "ada@example.com")
    taken = client.post(REGISTER, json=CREDENTIALS)  # Medusa v2's answer, which v2 clients branch on
    assert_medusa_error(taken, 401, "unauthorized")
    assert taken.json()["message"] == "Identity with email already exists"
    assert_medusa_error(client.post(REGISTER, json={"email": "new@example.com", "password": "short"}), 400,
                        "invalid_data")
    assert_medusa_error(client.post(REGISTER, json={"email": "nope", "password": "long enough pw"}), 400,
                        "invalid_data")
    assert_medusa_error(client.post(REGISTER, json={"email": "new@example.com"}), 400, "invalid_data")
    assert_medusa_error(client.post(REGISTER, content=b"email=a", headers={"content-type": "text/plain"}), 415,
                        "unsupported_media_type")


def test_a_refused_profile_leaves_the_registration_usable(client):
    token = client.post(REGISTER, json=CREDENTIALS).json()["token"]
    for body in ({"first_name": 5}, {"first_name": "Visit https://evil.example", "last_name": "L"},
                 {**NAMES, "email": "someone-else@example.com"}):
        assert_medusa_error(client.post("/store/customers", json=body, headers=bearer_headers(token)), 400,
                            "invalid_data")
    assert client.post("/store/customers", json={**NAMES, "email": "ADA@example.com"},
                       headers=bearer_headers(token)).status_code == 200


def test_an_email_taken_between_the_two_steps_is_422(client, other_client):
    token = client.post(REGISTER, json=CREDENTIALS).json()["token"]
    register(other_client, "ada@example.com")  # v1's one-step sign-up gets there first
    response = client.post("/store/customers", json=NAMES, headers=bearer_headers(token))
    assert_medusa_error(response, 422, "duplicate_error")


def test_only_a_live_registration_token_creates_a_customer(client):
    headers = sign_up_v2(client)  # a login token is not a registration token: Medusa v2's 400 for it
    refused = client.post("/store/customers", json=NAMES, headers=headers)
    assert_medusa_error(refused, 400, "invalid_data")
    assert refused.json()["message"] == "Request already authenticated as a customer."
    assert_medusa_error(client.post("/store/customers", json=NAMES, headers=bearer_headers("not.a.jwt")), 401,
                        "unauthorized")
    old = utcnow() - bearer.LIFETIME - timedelta(seconds=5)
    expired = run_steps(registrations.begin, email="late@example.com", password=CREDENTIALS["password"], now=old)
    assert_medusa_error(client.post("/store/customers", json=NAMES, headers=bearer_headers(expired)), 401,
                        "unauthorized")


def test_login_shares_v1s_password_check_and_throttling(client, other_client):
    register(other_client)
    assert_medusa_error(client.post(LOGIN, json={**CREDENTIALS, "password": "wrong password"}), 401, "unauthorized")
    assert_medusa_error(client.post(LOGIN, json={"email": 5, "password": "x"}), 400, "invalid_data")
    for _ in range(4):
        client.post(LOGIN, json={**CREDENTIALS, "password": "wrong password"})
    throttled = client.post("/store/auth", json=CREDENTIALS)  # v1's login counts v2's failures too
    assert_medusa_error(throttled, 429, "too_many_requests")
    assert int(throttled.headers["retry-after"]) > 0
    assert_medusa_error(client.post(LOGIN, json=CREDENTIALS), 429, "too_many_requests")


@pytest.mark.filterwarnings("ignore:The HMAC key is")  # the raw-key forgery below uses the short test key
def test_a_bad_expired_or_forged_bearer_is_logged_out_even_with_a_good_cookie(client):
    register(client)  # the client holds a good cookie as well
    token = client.post(LOGIN, json=CREDENTIALS).json()["token"]
    login_id = bearer.decode(token, audience=bearer.LOGIN_AUDIENCE)["sid"]
    expired = bearer.encode({"sid": login_id}, audience=bearer.LOGIN_AUDIENCE, now=utcnow() - timedelta(hours=2))
    head, payload, signature = token.split(".")
    tampered = f"{head}.{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{signature}"
    claims = {"sid": login_id, "aud": bearer.LOGIN_AUDIENCE, "iat": int(utcnow().timestamp()),
              "exp": int(utcnow().timestamp()) + 600}
    unsigned = jwt.encode(claims, None, algorithm="none")  # the classic forgery: "alg": "none"
    raw_key = jwt.encode(claims, "api-test-key", algorithm="HS256")  # the setting itself is not the JWT key
    registration = client.post(REGISTER, json={"email": "new@example.com", "password": "long enough pw"}).json()
    for bad in (expired, tampered, token + "x", "garbage", "", unsigned, raw_key, registration["token"]):
        assert_medusa_error(client.get("/store/customers/me", headers=bearer_headers(bad)), 401, "unauthorized")
    assert client.get("/store/customers/me", headers={"Authorization": "Basic abc"}).status_code == 200  # cookie


def test_tokens_signed_with_a_retired_key_still_work_and_unknown_keys_never(client, api_env):
    headers = sign_up_v2(client)
    api_env.setenv("STOREFRONT_SECRET_KEYS", "the-new-key,api-test-key")  # rotation: a new first key
    config.get_settings.cache_clear()
    assert client.get("/store/customers/me", headers=headers).status_code == 200
    fresh = login_v2(client)
    api_env.setenv("STOREFRONT_SECRET_KEYS", "api-test-key")  # the new key unknown here
    config.get_settings.cache_clear()
    assert_medusa_error(client.get("/store/customers/me", headers=fresh), 401, "unauthorized")


def test_logout_with_the_bearer_ends_its_login_at_once(client):
    headers = sign_up_v2(client)
    other = login_v2(client)  # a second login lives on
    response = client.delete("/auth/session", headers=headers)
    assert response.status_code == 200 and response.json() == {"success": True}
    assert_medusa_error(client.get("/store/customers/me", headers=headers), 401, "unauthorized")
    assert client.get("/store/customers/me", headers=other).status_code == 200
    assert client.delete("/store/auth", headers=other).status_code == 200  # v1's logout ends a bearer login too
    assert_medusa_error(client.get("/store/customers/me", headers=other), 401, "unauthorized")


def test_the_bearer_trades_for_the_cookie_and_one_logout_ends_both(client, other_client):
    headers = sign_up_v2(other_client)
    response = client.post("/auth/session", headers=headers)
    assert response.status_code == 200 and response.json()["customer"]["email"] == "ada@example.com"
    cookie = session_cookie_header(response).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/store/customers/me").json()["customer"]["email"] == "ada@example.com"
    assert client.delete("/auth/session").status_code == 200  # the cookie's logout
    assert_medusa_error(client.get("/store/customers/me"), 401, "unauthorized")
    assert_medusa_error(other_client.get("/store/customers/me", headers=headers), 401, "unauthorized")
    assert_medusa_error(client.post("/auth/session", headers=headers), 401, "unauthorized")


def test_trading_needs_a_bearer_token(client):
    register(client)  # a cookie is no bearer token
    assert_medusa_error(client.post("/auth/session"), 401, "unauthorized")
    assert_medusa_error(client.post("/auth/session", headers=bearer_headers("garbage")), 401, "unauthorized")


def test_refresh_gives_a_new_token_for_a_live_login_only(client):
    headers = sign_up_v2(client)
    assert_medusa_error(client.post("/auth/token/refresh"), 401, "unauthorized")
    refreshed = client.post("/auth/token/refresh", headers=headers)
    assert refreshed.status_code == 200
    new_headers = bearer_headers(refreshed.json()["token"])
    assert client.get("/store/customers/me", headers=new_headers).status_code == 200
    client.delete("/auth/session", headers=headers)  # one login: the refreshed token ends with it
    assert_medusa_error(client.get("/store/customers/me", headers=new_headers), 401, "unauthorized")
    assert_medusa_error(client.post("/auth/token/refresh", headers=new_headers), 401, "unauthorized")


def test_another_site_cannot_trade_a_token_for_a_cookie_in_a_visitors_browser(client, other_client):
    headers = sign_up_v2(other_client)  # the attacker's own login
    response = client.post("/auth/session", headers={**headers, "origin": "https://evil.example.com"})
    assert_medusa_error(response, 403, "not_allowed")
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("path", [LOGIN, REGISTER])
def test_auth_routes_answer_only_post(client, path):
    assert client.get(path).status_code == 405


def test_parallel_completions_of_one_registration_make_one_customer(client):
    token = client.post(REGISTER, json=CREDENTIALS).json()["token"]

    def complete(n):
        with make_client() as each:
            return each.post("/store/customers", json={"first_name": f"Ada{n}", "last_name": "L"},
                             headers=bearer_headers(token))

    answers = in_parallel(6, complete)
    assert sorted(a.status_code for a in answers) == [200] + [401] * 5, [a.text for a in answers]
    assert row_counts()["customer"] == 1


@pytest.mark.parametrize("sid", [2**70, 2**63, -(2**70), -1, 0, 1.5, "1", None, [1]])
def test_a_validly_signed_token_with_an_odd_login_number_is_a_401_everywhere(client, sid):
    register(client)
    odd = bearer.encode({"sid": sid, "actor_type": "customer"}, audience=bearer.LOGIN_AUDIENCE)
    before = row_counts()
    for method, path in (("GET", "/store/customers/me"), ("GET", "/store/customers/me/orders"),
                         ("POST", "/auth/token/refresh"), ("POST", "/auth/session")):
        response = client.request(method, path, headers=bearer_headers(odd))
        assert_medusa_error(response, 401, "unauthorized")
    assert client.delete("/auth/session", headers=bearer_headers(odd)).status_code == 200  # logout: nothing to end
    assert row_counts() == before
