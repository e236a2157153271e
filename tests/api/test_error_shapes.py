"""One error vocabulary: a refusal reads the same whether the edge or a route answered it."""

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from storefront.api.app import build_api
from storefront.api.edge import guard
from tests.api.conftest import BASE, claim_token, guest_order, make_client, register


def test_a_cross_site_403_and_a_routes_403_have_the_same_code(client, other_client):
    cross_site = client.post("/store/auth", json={"email": "a@example.com", "password": "x"},
                             headers={"Origin": "https://evil.example"})
    order = guest_order(other_client)
    register(client, "ada@example.com")
    assert client.post("/store/orders/batch/customer/token", json={"order_ids": [order["id"]]}).status_code == 200
    token = claim_token(client, "guest@example.com")
    stranger = make_client()
    register(stranger, "eve@example.com")
    forbidden = stranger.post("/store/orders/customer/confirm", json={"token": token})
    assert cross_site.status_code == forbidden.status_code == 403
    assert cross_site.json()["code"] == forbidden.json()["code"] == "invalid_state_error"
    assert cross_site.json()["type"] == forbidden.json()["type"] == "not_allowed"


def _behind_the_page_server() -> TestClient:
    """The API as the app runs it: Reflex's own app mounted behind every route, which refuses a POST in plain
    text and answers a GET with the shop's HTML."""

    async def page_server(request):
        if request.method != "GET":
            return PlainTextResponse("Method Not Allowed", status_code=405)
        return HTMLResponse("<html>the shop</html>")

    api = build_api()
    api.mount("", Starlette(routes=[Route("/{path:path}", page_server, methods=["GET", "POST", "PUT", "DELETE"])]))
    return TestClient(guard(api), base_url=BASE, follow_redirects=False)


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/store/nonexistent"), ("GET", "/store/nonexistent"), ("POST", "/store/carts/x/y/line-items"),
    ("POST", "/store/carts/..%2F..%2Fstore%2Fproducts/line-items"), ("DELETE", "/auth/customer/nothing"),
    ("GET", "/api/outbox/nothing"), ("POST", "/store/carts/"),
])
def test_a_path_no_api_route_serves_is_a_json_404_not_the_page_servers_answer(api_env, method, path):
    with _behind_the_page_server() as client:
        answer = client.request(method, path, json={"quantity": 1})
    assert answer.status_code == 404, answer.text
    assert answer.json() == {"code": "unknown_error", "type": "not_found", "message": "There is no such endpoint."}


def test_a_known_path_with_another_method_keeps_its_405_and_the_pages_stay_the_page_servers(api_env):
    with _behind_the_page_server() as client:
        wrong_method = client.put("/store/customers/me", json={})
        page = client.get("/products/classic-tee")
    assert wrong_method.status_code == 405 and wrong_method.json()["type"] == "method_not_allowed"
    assert "GET" in wrong_method.headers["allow"]
    assert page.status_code == 200 and page.text == "<html>the shop</html>"
