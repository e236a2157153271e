// Medusa v2's order transfer against a running Storefront with the real @medusajs/js-sdk 2.x client, as a
// storefront would call it: sign-up and login by JWT (kept in memory, sent as Authorization: Bearer), a
// guest order's transfer requested, the token read from the email in the outbox, accepted, and the refusals
// where this app is stricter than v2. Run by tests/e2e/test_medusa_js.py.
//
// Not here: an expired token. The shared app keeps CLAIM_TOKEN_MAX_AGE's hour, and waiting it out is not a
// test; tests/api/test_store_transfers.py::test_an_expired_token_is_400 makes one with a clock in the past.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const Medusa = require("@medusajs/js-sdk").default;
const { FetchError } = require("@medusajs/js-sdk");

const SERVER_URL = process.env.STOREFRONT_URL;
const PASSWORD = "correct horse battery";
const run = `${Date.now()}${process.pid}`;
let counter = 0;
const email = (prefix) => `${prefix}-${run}-${++counter}@example.com`;
const ADDRESS = {
  first_name: "Grace", last_name: "Hopper", address_1: "1 Harbour Street",
  city: "Arlington", postal_code: "22201", country_code: "us",
};

// Node has no localStorage: keep the JWT in memory. The app ignores the publishable key unless
// STORE_PUBLISHABLE_KEY is set; a v2 storefront always sends one.
const newSdk = () => new Medusa({
  baseUrl: SERVER_URL, publishableKey: "pk_storefront_node_test",
  auth: { type: "jwt", jwtTokenStorageMethod: "memory" },
});

const status = (code) => (err) => err instanceof FetchError && err.status === code;

async function post(path, body) {
  const res = await fetch(`${SERVER_URL}${path}`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return res.json();
}

// The guest checkout, as a guest's browser would do it (this app's carts speak Medusa v1).
async function guestOrder(guestEmail) {
  const { products } = await (await fetch(`${SERVER_URL}/store/products`)).json();
  const { cart } = await post("/store/carts", { items: [{ variant_id: products[0].variants[0].id, quantity: 1 }] });
  await post(`/store/carts/${cart.id}`, { email: guestEmail, shipping_address: ADDRESS });
  return (await post(`/store/carts/${cart.id}/complete`, {})).data;
}

async function transferToken(to) {
  const res = await fetch(`${SERVER_URL}/api/outbox/messages?to=${encodeURIComponent(to)}`);
  const mail = (await res.json()).messages.find((m) => m.subject.includes("claim"));
  assert.ok(mail, `no claim email to ${to}`);
  const verify = mail.links.find((link) => link.includes("/verify/?token="));
  assert.ok(mail.links.some((link) => link.includes("/decline/?token=")));
  return new URL(verify).searchParams.get("token");
}

// js-sdk 2.x's sign-up: a registration token first, then the customer with it, then a real login.
async function customer(customerEmail) {
  const sdk = newSdk();
  await sdk.auth.register("customer", "emailpass", { email: customerEmail, password: PASSWORD });
  const { customer: created } = await sdk.store.customer.create(
    { email: customerEmail, first_name: "Ada", last_name: "Lovelace" });
  assert.equal(created.email, customerEmail);
  const token = await sdk.auth.login("customer", "emailpass", { email: customerEmail, password: PASSWORD });
  assert.equal(typeof token, "string");
  const { customer: me } = await sdk.store.customer.retrieve();
  return { sdk, me };
}

async function requested(sdk) {
  const guestEmail = email("guest");
  const order = await guestOrder(guestEmail);
  const { order: asked } = await sdk.store.order.requestTransfer(order.id, { description: "I bought it as a guest" });
  assert.equal(asked.id, order.id);
  assert.equal(asked.customer_id, null);
  return { order, token: await transferToken(guestEmail) };
}

test("js-sdk 2.x: sign up -> login -> requestTransfer -> acceptTransfer with the emailed token -> order.list", async () => {
  const { sdk, me } = await customer(email("ada"));
  const { order, token } = await requested(sdk);

  const { order: accepted } = await sdk.store.order.acceptTransfer(order.id, { token });
  assert.equal(accepted.customer_id, me.id);
  assert.equal(accepted.email, order.email); // the order keeps the email it was placed with
  assert.equal(accepted.total, order.total / 100); // v2 counts in the currency's main unit

  const { orders, count } = await sdk.store.order.list();
  assert.equal(count, 1);
  assert.deepEqual(orders.map((o) => o.id), [order.id]);
  assert.equal((await sdk.store.order.retrieve(order.id)).order.customer_id, me.id);

  await assert.rejects(sdk.store.order.acceptTransfer(order.id, { token }), status(400)); // works once
  await assert.rejects(sdk.store.order.requestTransfer(order.id, {}), status(400)); // already theirs
});

test("acceptTransfer by another customer is 403 and changes nothing; the one who asked still can", async () => {
  const { sdk, me } = await customer(email("ada"));
  const { order, token } = await requested(sdk);
  const { sdk: eve } = await customer(email("eve"));

  await assert.rejects(eve.store.order.acceptTransfer(order.id, { token }), status(403));
  assert.equal((await eve.store.order.list()).count, 0);
  await assert.rejects(newSdk().store.order.acceptTransfer(order.id, { token }), status(403)); // no login
  assert.equal((await sdk.store.order.acceptTransfer(order.id, { token })).order.customer_id, me.id);
});

test("declineTransfer needs only the token; accepting afterwards is 400", async () => {
  const { sdk } = await customer(email("ada"));
  const { order, token } = await requested(sdk);

  const { order: declined } = await newSdk().store.order.declineTransfer(order.id, { token });
  assert.equal(declined.customer_id, null);
  await assert.rejects(sdk.store.order.acceptTransfer(order.id, { token }),
    (err) => status(400)(err) && /declined/.test(err.message));
  assert.equal((await sdk.store.order.list()).count, 0);
});

test("cancelTransfer by someone else is 404; by the customer who asked it ends the token", async () => {
  const { sdk } = await customer(email("ada"));
  const { order, token } = await requested(sdk);
  const { sdk: eve } = await customer(email("eve"));

  await assert.rejects(eve.store.order.cancelTransfer(order.id), status(404));
  assert.equal((await sdk.store.order.cancelTransfer(order.id)).order.id, order.id);
  await assert.rejects(sdk.store.order.acceptTransfer(order.id, { token }),
    (err) => status(400)(err) && /cancelled/.test(err.message));
});

test("a bad token is 400, and logging out on the server ends the JWT", async () => {
  const { sdk } = await customer(email("ada"));
  const { order } = await requested(sdk);
  await assert.rejects(sdk.store.order.acceptTransfer(order.id, { token: "not-a-token" }), status(400));

  // js-sdk's logout() in JWT mode only forgets the token; DELETE /auth/session ends its login here too.
  await sdk.client.fetch("/auth/session", { method: "DELETE" });
  await assert.rejects(sdk.store.customer.retrieve(), status(401));
  await sdk.auth.logout();
  await assert.rejects(sdk.store.order.list(), status(401));
});
