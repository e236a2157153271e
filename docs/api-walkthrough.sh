#!/usr/bin/env bash
# The claim-order flow through the store API, with curl: a guest buys, registers with another email, asks to
# claim the order, reads the link from the outbox API and confirms. docs/api.md explains every step.
#
#   bash docs/api-walkthrough.sh                        # against http://localhost:3000 (make run)
#   S=http://localhost:8080 bash docs/api-walkthrough.sh
#
# Needs curl and python3 (to read JSON), and the outbox (on by default for a local app). Every run uses new
# email addresses, so it can run again and again against the same shop. The last line is `claimed: <order ID>`.
set -euo pipefail

S="${S:-http://localhost:3000}"
S="${S%/}"
RUN="$(date +%s)-$$"
GUEST="guest-$RUN@example.com"
CUSTOMER="ada-$RUN@example.com"
PASSWORD="correct horse battery staple"

WORK="$(mktemp -d)"             # the cookie jar and the last answer; gone when the script ends, however it ends
trap 'rm -rf "$WORK"' EXIT
JAR="$WORK/cookies"
: > "$JAR"

step() { printf '\n== %s\n' "$*"; }

# call METHOD PATH EXPECTED_STATUS [JSON_BODY]: print the answer's body, or stop unless the status is the expected one.
# The cookie jar goes with every request and keeps the session cookie (sf_session) that registration sets.
call() {
  local method=$1 path=$2 expected=$3 body=${4-} status
  local args=(--silent --show-error --output "$WORK/body" --write-out '%{http_code}'
              --request "$method" --cookie "$JAR" --cookie-jar "$JAR")
  if [ -n "$body" ]; then
    args+=(--header 'Content-Type: application/json' --data "$body")  # a body must be declared JSON (else 415)
  fi
  if ! status=$(curl "${args[@]}" "$S$path"); then
    echo "FAILED: $method $S$path: no answer (is the app running? start it with make run, or set S)" >&2
    exit 1
  fi
  if [ "$status" != "$expected" ]; then
    echo "FAILED: $method $path answered $status, expected $expected:" >&2
    head -c 800 "$WORK/body" >&2
    echo >&2
    exit 1
  fi
  cat "$WORK/body"
}

# pick KEY.KEY.0.KEY: one value from the JSON on stdin (nothing on stdin: call has already said what failed).
pick() {
  python3 -c '
import json, sys
text = sys.stdin.read()
if not text:
    sys.exit(1)
value = json.loads(text)
for key in sys.argv[1].split("."):
    value = value[int(key)] if key.isdigit() else value[key]
print(value)' "$1"
}

step "1. A guest buys something: a cart with the first product, then email and address, then complete"
VARIANT=$(call GET /store/products 200 | pick products.0.variants.0.id)
CART=$(call POST /store/carts 200 "{\"items\": [{\"variant_id\": \"$VARIANT\", \"quantity\": 1}]}" | pick cart.id)
echo "cart $CART with variant $VARIANT"
call POST "/store/carts/$CART" 200 "{
  \"email\": \"$GUEST\",
  \"shipping_address\": {\"first_name\": \"Grace\", \"last_name\": \"Hopper\", \"address_1\": \"1 Harbour St\",
                       \"city\": \"Arlington\", \"postal_code\": \"22201\", \"country_code\": \"us\"}}" > /dev/null
ORDER=$(call POST "/store/carts/$CART/complete" 200 | pick data.id)
echo "order $ORDER, placed by the guest $GUEST"

step "2. Later they register with another email, which logs them in (the session cookie goes into the jar)"
WHO=$(call POST /store/customers 200 "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\",
  \"email\": \"$CUSTOMER\", \"password\": \"$PASSWORD\"}" | pick customer.email)
echo "registered and logged in as $WHO"

step "3. Ask to claim the order: 200 whether or not the ID exists; one email per order email"
call POST /store/orders/batch/customer/token 200 "{\"order_ids\": [\"$ORDER\"]}" > /dev/null
echo "asked; the link goes to $GUEST"

step "4. Read the confirmation link from the outbox API (with MAIL_BACKEND=smtp it is in that inbox too)"
TOKEN=""
for _ in $(seq 1 50); do   # the mail is stored with the request; allow a moment anyway
  MESSAGES=$(call GET "/api/outbox/messages?to=$GUEST" 200)
  TOKEN=$(echo "$MESSAGES" | python3 -c '
import json, sys, urllib.parse as u
for message in json.load(sys.stdin)["messages"]:
    if "claim" in message["subject"]:
        for link in message["links"]:
            if u.urlsplit(link).path.rstrip("/").endswith("/verify"):
                print(u.parse_qs(u.urlsplit(link).query)["token"][0])
                raise SystemExit')
  [ -n "$TOKEN" ] && break
  sleep 0.2
done
if [ -z "$TOKEN" ]; then
  echo "FAILED: no claim email to $GUEST in the outbox (is OUTBOX_ENABLED off?)" >&2
  exit 1
fi
echo "token ${TOKEN:0:16}…"

step "5. Confirm, as the customer who asked: the order joins the account and keeps its email"
call POST /store/orders/customer/confirm 200 "{\"token\": \"$TOKEN\"}" > /dev/null
echo "confirmed"

step "6. My orders"
MINE=$(call GET /store/customers/me/orders 200)
echo "$MINE" | python3 -c '
import json, sys
for order in json.load(sys.stdin)["orders"]:
    print(order["id"], order["email"])'
if ! echo "$MINE" | python3 -c 'import json, sys; sys.exit(sys.argv[1] not in [o["id"] for o in json.load(sys.stdin)["orders"]])' "$ORDER"; then
  echo "FAILED: $ORDER is not among $CUSTOMER's orders" >&2
  exit 1
fi
echo
echo "customer: $CUSTOMER"
echo "claimed: $ORDER"
