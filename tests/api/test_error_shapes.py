"""One error vocabulary: a refusal reads the same whether the edge or a route answered it."""

from tests.api.conftest import claim_token, guest_order, make_client, register


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
