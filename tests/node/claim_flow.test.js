// The claim flow against a running Storefront with the real @medusajs/medusa-js v1 client, and the
// `fetch` snippets from Medusa's "How to Implement Claim Order Flow" page. Run by tests/api/test_node_clients.py.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const Medusa = require("@medusajs/medusa-js").default;

const SERVER_URL = process.env.STOREFRONT_URL;
const run = `${Date.now()}${process.pid}`;
let counter = 0;
const email = (prefix) => `${prefix}-${run}-${++counter}@example.com`;
const ADDRESS = {
  first_name: "Grace", last_name: "Hopper", address_1: "1 Harbour Street",
  city: "Arlington", postal_code: "22201", country_code: "us",
};

async function claimToken(to) {
  const res = await fetch(`${SERVER_URL}/api/outbox/messages?to=${encodeURIComponent(to)}`);
  const { messages } = await res.json();
  const mail = messages.find((m) => m.subject.includes("claim"));
  assert.ok(mail, `no claim email to ${to}`);
  const verify = mail.links.find((link) => link.includes("/verify/?token="));
  return new URL(verify).searchParams.get("token");
}

async function guestOrder(medusa, guestEmail) {
  const { products } = await medusa.products.list();
  const variantId = products[0].variants[0].id;
  const { cart } = await medusa.carts.create({ items: [{ variant_id: variantId, quantity: 1 }] });
  await medusa.carts.update(cart.id, { email: guestEmail, shipping_address: ADDRESS });
  const { type, data } = await medusa.carts.complete(cart.id);
  assert.equal(type, "order");
  return data;
}

async function registered(medusa, customerEmail) {
  const { customer, response } = await medusa.customers.create({
    first_name: "Ada", last_name: "Lovelace", email: customerEmail, password: "correct horse battery",
  });
  assert.equal(customer.email, customerEmail);
  // Node keeps no cookie jar: carry the session cookie by hand, as a server-side storefront would.
  return response.headers["set-cookie"][0].split(";")[0];
}

test("medusa-js v1: guest cart -> register -> requestCustomerOrders -> confirmRequest -> listOrders", async () => {
  const medusa = new Medusa({ baseUrl: SERVER_URL, maxRetries: 0 });
  const guestEmail = email("guest");
  const order = await guestOrder(medusa, guestEmail);
  assert.match(order.id, /^order_[0-9A-Z]{26}$/);

  const cookie = await registered(medusa, email("ada"));
  const headers = { Cookie: cookie };
  const requested = await medusa.orders.requestCustomerOrders({ order_ids: [order.id] }, headers);
  assert.equal(requested.response.status, 200);

  const token = await claimToken(guestEmail);
  const confirmed = await medusa.orders.confirmRequest({ token }, headers);
  assert.equal(confirmed.response.status, 200);

  const { orders, count } = await medusa.customers.listOrders({}, headers);
  assert.equal(count, 1);
  assert.equal(orders[0].id, order.id);
  assert.equal(orders[0].email, guestEmail);

  await assert.rejects(medusa.orders.confirmRequest({ token }, headers), (err) => err.response.status === 400);
  await assert.rejects(medusa.orders.requestCustomerOrders({ order_ids: [order.id] }),
    (err) => err.response.status === 401 && err.response.data.type === "unauthorized");
});

test("the docs' two fetch snippets, as written, with the Cookie header Node needs", async () => {
  const medusa = new Medusa({ baseUrl: SERVER_URL, maxRetries: 0 });
  const guestEmail = email("guest");
  const order_id = (await guestOrder(medusa, guestEmail)).id;
  const cookie = await registered(medusa, email("ada"));
  const seen = [];

  // --- Request to Claim an Order (Fetch API tab) ---
  await fetch(`${SERVER_URL}/store/orders/batch/customer/token`, {
    method: 'POST',
    credentials: 'include',
    body: JSON.stringify({
      order_ids: [
        order_id,
      ],
    }),
    headers: {
      'Content-Type': 'application/json',
      Cookie: cookie,
    }
  })
  .then((res) => {
    seen.push(["token", res.status]); //successful
  })
  .catch(() => {
    seen.push(["token", "error"]); //display an error to the customer
  });

  const token = await claimToken(guestEmail);

  // --- Manually Verify a Claim to an Order (Fetch API tab) ---
  await fetch(`${SERVER_URL}/store/orders/customer/confirm`, {
    method: 'POST',
    credentials: 'include',
    body: JSON.stringify({
      token
    }),
    headers: {
      'Content-Type': 'application/json',
      Cookie: cookie,
    }
  })
  .then((res) => {
    seen.push(["confirm", res.status]); //successful
  })
  .catch(() => {
    seen.push(["confirm", "error"]); //display an error to the customer
  });

  assert.deepEqual(seen, [["token", 200], ["confirm", 200]]);
  const { orders } = await medusa.customers.listOrders({}, { Cookie: cookie });
  assert.deepEqual(orders.map((o) => o.id), [order_id]);
});

// The reset mail is stored after the 204 (the answer takes the same time whether or not the account exists):
// wait for it, as a person waits for their mail.
async function resetToken(to) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const res = await fetch(`${SERVER_URL}/api/outbox/messages?to=${encodeURIComponent(to)}`);
    const mail = (await res.json()).messages.find((m) => m.subject.includes("Reset"));
    if (mail) return new URL(mail.links[0]).searchParams.get("token");
    assert.ok(Date.now() < deadline, `no reset email to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("medusa-js v1: customers.generatePasswordToken -> customers.resetPassword -> auth with the new password",
  async () => {
    const medusa = new Medusa({ baseUrl: SERVER_URL, maxRetries: 0 });
    const customerEmail = email("ada");
    const cookie = await registered(medusa, customerEmail);

    const asked = await medusa.customers.generatePasswordToken({ email: customerEmail });
    assert.equal(asked.response.status, 204);
    const unknown = await medusa.customers.generatePasswordToken({ email: email("nobody") });
    assert.equal(unknown.response.status, 204); // the same answer: nobody learns which emails have accounts

    const token = await resetToken(customerEmail);
    const { customer } = await medusa.customers.resetPassword({
      email: customerEmail, token, password: "a brand new passphrase",
    });
    assert.equal(customer.email, customerEmail);

    await assert.rejects(medusa.auth.getSession({ Cookie: cookie }), (err) => err.response.status === 401);
    const { customer: again } = await medusa.auth.authenticate({ email: customerEmail,
      password: "a brand new passphrase" });
    assert.equal(again.email, customerEmail);
    await assert.rejects(
      medusa.customers.resetPassword({ email: customerEmail, token, password: "yet another passphrase" }),
      (err) => err.response.status === 401 && err.response.data.type === "unauthorized");
  });

test("medusa-js v1: auth.getToken -> the JWT as Bearer -> listOrders filtered by status -> deleteSession ends it",
  async () => {
    const medusa = new Medusa({ baseUrl: SERVER_URL, maxRetries: 0 });
    const guestEmail = email("guest");
    const order = await guestOrder(medusa, guestEmail);
    const customerEmail = email("ada");
    await registered(medusa, customerEmail);

    const { access_token } = await medusa.auth.getToken({ email: customerEmail, password: "correct horse battery" });
    // medusa-js keeps the JWT only in a browser (its registerJwt skips Node): send it by hand.
    const headers = { Authorization: `Bearer ${access_token}` };
    const { customer } = await medusa.auth.getSession(headers);
    assert.equal(customer.email, customerEmail);
    assert.deepEqual(customer.shipping_addresses, []);

    await medusa.orders.requestCustomerOrders({ order_ids: [order.id] }, headers);
    await medusa.orders.confirmRequest({ token: await claimToken(guestEmail) }, headers);
    // listOrders writes lists the qs way (status[0]=pending), as every medusa-js list does.
    const pending = await medusa.customers.listOrders({ status: ["pending"], payment_status: ["captured"] }, headers);
    assert.deepEqual(pending.orders.map((o) => [o.id, o.status, o.fulfillment_status]),
      [[order.id, "pending", "not_fulfilled"]]);
    const completed = await medusa.customers.listOrders({ status: ["completed", "canceled"] }, headers);
    assert.equal(completed.count, 0);
    const { customer: withAddress } = await medusa.customers.retrieve(headers);
    assert.deepEqual(withAddress.shipping_addresses.map((a) => a.address_1), [ADDRESS.address_1]);

    await medusa.auth.deleteSession(headers);
    await assert.rejects(medusa.customers.retrieve(headers), (err) => err.response.status === 401);
  });
