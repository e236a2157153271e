"""Cart, checkout, accounts and the claim form's error paths, through the UI."""

import re

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.conftest import email, place_guest_order


def test_cart_quantity_change_and_remove(shopper):
    shopper.add_to_cart("Dot Notebook")
    shopper.add_to_cart("Wool Socks")
    header_cart = shopper.page.get_by_role("link", name=re.compile(r"^Cart"))
    expect(header_cart).to_have_text("Cart (2)")
    header_cart.click()
    notebook = shopper.page.get_by_role("row").filter(has_text="Dot Notebook")
    notebook.get_by_label("Quantity").select_option("3")
    expect(notebook).to_contain_text("€27.00")
    expect(header_cart).to_have_text("Cart (4)")
    shopper.page.get_by_role("row").filter(has_text="Wool Socks").get_by_role("button", name="Remove").click()
    expect(shopper.page.get_by_role("row").filter(has_text="Wool Socks")).to_have_count(0)
    expect(header_cart).to_have_text("Cart (3)")
    shopper.page.reload()  # the cart survives a reload
    expect(shopper.page.get_by_role("row").filter(has_text="Dot Notebook")).to_contain_text("€27.00")


def test_checkout_field_errors_keep_the_cart(shopper):
    shopper.add_to_cart()
    shopper.fill_checkout(email_address=email("guest"), full_name=" ")
    shopper.page.get_by_role("button", name="Place order").click()
    expect(shopper.page.get_by_role("alert")).to_contain_text("Enter your name")
    shopper.page.get_by_label("Full name").fill("Grace Hopper")
    shopper.page.get_by_label("Email", exact=True).fill("not-an-email")
    shopper.page.evaluate("document.querySelector('form').noValidate = true")
    shopper.page.get_by_role("button", name="Place order").click()
    expect(shopper.page.get_by_role("alert")).to_contain_text("valid email")
    shopper.page.get_by_label("Email", exact=True).fill(email("guest"))
    shopper.page.get_by_role("button", name="Place order").click()
    expect(shopper.page.get_by_test_id("order-id")).to_have_text(re.compile(r"^order_"))


def test_double_clicking_place_order_places_one_order(shopper, app_server):
    guest_email = email("guest")
    shopper.add_to_cart()
    shopper.fill_checkout(email_address=guest_email)
    shopper.page.get_by_role("button", name="Place order").dblclick()
    order_id = shopper.page.get_by_test_id("order-id")
    expect(order_id).to_have_text(re.compile(r"^order_"))
    expect(shopper.page.get_by_role("alert")).to_have_count(0)
    assert len(app_server.wait_for_mail(guest_email, "Your Storefront order", count=2, timeout=3)) == 1
    expect(shopper.page.get_by_role("link", name=re.compile(r"^Cart"))).to_have_text("Cart")  # cart emptied


def test_guest_checkout_with_a_registered_email_is_refused(new_shopper):
    registered = email("ada")
    customer = new_shopper()
    customer.register(registered)
    guest = new_shopper()
    guest.add_to_cart()
    guest.fill_checkout(email_address=registered.upper())
    guest.page.get_by_role("button", name="Place order").click()
    expect(guest.page.get_by_role("alert")).to_contain_text("An account already uses this email")
    expect(guest.page.get_by_test_id("order-id")).to_have_count(0)


def test_logged_in_checkout_joins_the_account(shopper):
    shopper.register(email("ada"))
    shopper.add_to_cart("Sweatpants")
    shopper.fill_checkout()
    expect(shopper.page.get_by_label("Email", exact=True)).to_have_value(re.compile(r"^ada-"))
    shopper.page.get_by_role("button", name="Place order").click()
    order = shopper.page.get_by_test_id("order-id").inner_text()
    shopper.expect_in_my_orders(order)


def one_wrong_password(new_shopper) -> tuple:
    """A registered account, and a second browser that has just typed a wrong password for it."""
    account = email("ada")
    new_shopper().register(account)
    shopper = new_shopper()
    shopper.go(routes.LOGIN)
    shopper.login(account, "not my password")
    expect(shopper.page.get_by_role("alert")).to_contain_text("email or password is wrong")
    return shopper, account


def test_wrong_password_then_right_one(new_shopper):
    shopper, account = one_wrong_password(new_shopper)
    shopper.login(account)
    expect(shopper.page).to_have_url(re.compile(r"/account/?$"))


def test_duplicate_registration_and_weak_password(new_shopper):
    account = email("ada")
    new_shopper().register(account)
    shopper = new_shopper()
    shopper.go(routes.REGISTER)
    shopper.page.get_by_label("First name").fill("Ada")
    shopper.page.get_by_label("Last name").fill("Again")
    shopper.page.get_by_label("Email", exact=True).fill(account)
    shopper.page.get_by_label("Password").fill("password123")
    shopper.page.get_by_role("button", name="Create account").click()
    expect(shopper.page.get_by_role("alert")).to_contain_text("too common")
    shopper.page.get_by_label("Password").fill("a much better passphrase")
    shopper.page.get_by_role("button", name="Create account").click()
    expect(shopper.page.get_by_role("alert")).to_contain_text("already exists")


def test_account_pages_need_login_and_next_is_local_only(shopper):
    shopper.go(routes.CLAIM)
    expect(shopper.page).to_have_url(re.compile(r"/login/?\?next=%2Fclaim"))
    account = email("ada")
    shopper.go(routes.REGISTER)
    shopper.register(account)
    shopper.logout()
    shopper.go(routes.with_query(routes.LOGIN, next="https://evil.example.com/"))
    shopper.login(account)
    expect(shopper.page).to_have_url(re.compile(r"/account/?$"))
    shopper.go(routes.LOGOUT)  # opening the page changes nothing: a link or a prefetch must not log anyone out
    expect(shopper.page.get_by_text("You are logged in as")).to_be_visible()
    assert shopper.page.request.get(shopper.base_url + "/store/auth").status == 200
    shopper.logout()  # the button on the page does
    shopper.go(routes.ACCOUNT)
    expect(shopper.page).to_have_url(re.compile(r"/login/?\?next="))


def test_blank_and_malformed_claim_input(shopper, app_server):
    shopper.register(email("ada"))
    shopper.go(routes.CLAIM)
    shopper.page.get_by_role("button", name="Claim orders").click()
    expect(shopper.page.get_by_role("alert")).to_contain_text("at least one order ID")
    shopper.claim("order_01HX", "hello")
    expect(shopper.page.get_by_role("alert")).to_contain_text("is not an order ID")
    unknown = "order_01JABCDEFGHJKMNPQRSTVWXYZ0"
    shopper.claim(unknown)  # same answer as for a real order
    expect(shopper.page.get_by_role("status")).to_contain_text("confirmation link is on its way")


def test_pending_claim_can_be_cancelled_from_my_orders(new_shopper, app_server):
    guest_email = email("guest")
    order_id = place_guest_order(app_server.base_url, guest_email)
    shopper = new_shopper()
    shopper.sign_up(email("ada"))
    shopper.claim(order_id)
    expect(shopper.page.get_by_role("status")).to_be_visible()
    shopper.go(routes.ACCOUNT)
    pending = shopper.page.get_by_test_id("claim-row")
    expect(pending).to_contain_text(order_id)
    pending.get_by_role("button", name="Cancel claim").click()
    expect(shopper.page.get_by_role("status")).to_contain_text("cancelled")
    expect(shopper.page.get_by_test_id("claim-row")).to_have_count(0)
    shopper.open_claim_link_from_outbox(guest_email)
    expect(shopper.page.get_by_role("alert")).to_contain_text("cancelled")


def test_outbox_viewer_filters_and_clears(new_shopper, app_server):
    guest_email = email("guest")
    shopper = new_shopper()
    order_id = place_guest_order(app_server.base_url, guest_email)
    shopper.go(routes.OUTBOX)
    shopper.page.get_by_label("Search").fill(guest_email)
    shopper.page.get_by_role("button", name="Search").click()
    rows = shopper.page.get_by_test_id("outbox-row")
    expect(rows).to_have_count(1)
    rows.get_by_role("button").click()
    expect(shopper.page.get_by_test_id("outbox-message")).to_contain_text(order_id)
    frame = shopper.page.frame_locator("iframe[title='Message (HTML)']")
    expect(frame.get_by_text(order_id).first).to_be_visible()


def test_phone_width_shows_the_header_and_cards(browser, app_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(app_server.url(routes.HOME))
    expect(page.get_by_role("link", name=re.compile(r"^Cart"))).to_be_visible()
    card = page.get_by_test_id("product-card").first
    expect(card).to_be_visible()
    assert card.bounding_box()["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_too_many_wrong_passwords_say_when_to_try_again(new_shopper):
    shopper, account = one_wrong_password(new_shopper)
    for _ in range(4):  # four more from the same address, quicker over the API (the same limits count them)
        wrong = shopper.page.request.post(shopper.base_url + "/store/auth",
                                          data={"email": account, "password": "not my password"})
        assert wrong.status == 401
    shopper.login(account)  # even the right password waits now: no free guesses
    expect(shopper.page.get_by_role("alert")).to_contain_text(re.compile(r"Too many login attempts\. Wait \d+ seconds"))


def test_a_browser_that_logged_in_before_gets_in_while_strangers_are_locked_out(new_shopper):
    account, owner, stranger = email("ada"), new_shopper(), new_shopper()
    owner.register(account)  # the owner's browser is now a known device for this account
    device = next(c for c in owner.page.context.cookies() if c["name"] == routes.DEVICE_COOKIE)
    assert device["httpOnly"] and device["sameSite"] == "Lax"
    owner.logout()
    for _ in range(6):  # a stranger's wrong passwords use up every limit a new device has
        stranger.page.request.post(stranger.base_url + "/store/auth",
                                   data={"email": account, "password": "not my password"})
    stranger.go(routes.LOGIN)
    stranger.login(account)
    expect(stranger.page.get_by_role("alert")).to_contain_text("Too many login attempts")
    owner.go(routes.LOGIN)
    owner.login(account)  # the right password from the known device: in at once
    expect(owner.page).to_have_url(re.compile(r"/account/?$"))
