"""What leaks nowhere: no hash or session token in page state, no claim link for the asker, no token in logs."""

import re

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import email, place_guest_order


def test_browser_never_receives_hashes_session_tokens_or_the_claim_link(new_shopper, app_server):
    guest_email, account_email = email("guest"), email("ada")
    order_id = place_guest_order(app_server.base_url, guest_email)

    shopper = new_shopper()
    frames: list[str] = []
    shopper.page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    shopper.register(account_email)
    shopper.logout()
    shopper.go(routes.LOGIN)
    shopper.login(account_email)
    expect(shopper.page).to_have_url(re.compile(r"/account/?$"))
    shopper.claim(order_id)
    expect(shopper.page.get_by_role("status")).to_contain_text("confirmation link is on its way")
    shopper.expect_in_my_orders()  # one more page load over the socket, now with a pending claim

    cookie = next(c for c in shopper.page.context.cookies() if c["name"] == routes.SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    # The link is read here over plain HTTP, as a mail client would, not through the shopper's socket.
    [mail] = app_server.wait_for_mail(guest_email, "Confirm your order claim")
    token = re.search(r"token=([^&]+)", " ".join(mail["links"])).group(1)

    received = "\n".join(frames)
    assert account_email in received  # the socket did carry this customer's own page state
    assert "$argon2" not in received
    assert cookie["value"] not in received
    assert token not in received  # whoever asks for a claim must still prove they read the order's mailbox

    shopper.page.goto(next(link for link in mail["links"] if f"{routes.VERIFY}/?token=" in link))
    shopper.page.get_by_role("button", name="Confirm claim").click()
    expect(shopper.page.get_by_role("status")).to_contain_text(order_id)
    assert token not in app_server.log_path.read_text()  # opening and confirming the link logs no token
