"""The small things a newcomer trips over on the way through the demo: where focus lands after a login,
the tab's title, what Add to cart says on a phone, the menu's Escape, the claim form's second press, the password
reset's answer."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.audit import PHONE
from tests.e2e.conftest import PASSWORD, email, place_guest_order, shoppers
from tests.e2e.test_dead_ends import latest_link

HEADING = "main h1"


def test_focus_lands_on_the_new_pages_heading_after_registration_logout_and_login(shopper):
    account = email("ada")
    shopper.register(account)
    expect(shopper.page.get_by_role("heading", level=1, name="Your account")).to_be_focused()
    shopper.logout()
    expect(shopper.page.get_by_role("heading", level=1, name="Shop")).to_be_focused()
    shopper.go(routes.LOGIN)
    shopper.login(account)
    expect(shopper.page).to_have_url(re.compile(r"/account/?$"))
    expect(shopper.page.get_by_role("heading", level=1, name="Your account")).to_be_focused()


def test_a_product_page_is_titled_with_the_product_and_my_account_agrees_with_its_heading(shopper):
    shopper.go(routes.product_path("classic-tee"))
    expect(shopper.page.get_by_role("heading", level=1)).to_have_text("Classic T-Shirt")
    expect(shopper.page).to_have_title("Classic T-Shirt · Storefront")
    shopper.go(routes.product_path("no-such-thing"))
    expect(shopper.page).to_have_title("Product not found · Storefront")
    shopper.register(email("ada"))
    expect(shopper.page.locator(HEADING)).to_have_text("Your account")
    expect(shopper.page).to_have_title("Your account · Storefront")


def test_on_a_phone_adding_to_the_cart_answers_under_the_button_covering_nothing_and_stays_there(browser,
                                                                                                    app_server):
    with shoppers(browser, app_server.base_url, width=PHONE) as make:
        shopper = make()
        page = shopper.page
        shopper.go(routes.product_path("classic-tee"))
        expect(page.get_by_role("radio")).to_have_count(3)
        for radio in page.get_by_role("radio").all():  # the size radios are targets of 24 px or more
            box = radio.bounding_box()
            assert round(box["width"]) >= 24 and round(box["height"]) >= 24, box
        page.get_by_role("radio", name="M").click()
        page.get_by_role("button", name="Add to cart").click()
        answer = page.get_by_role("main").get_by_role("status")
        expect(answer).to_have_text("Classic T-Shirt, size M, was added to your cart.")
        expect(answer).to_be_in_viewport()
        expect(page.locator("[data-sonner-toast]")).to_have_count(0)  # nothing floats over the page
        # Nothing covers the form, Back to the shop, or the header's links.
        for control in [page.get_by_role("button", name="Add to cart"), page.get_by_label("Quantity"),
                        page.get_by_role("link", name="Back to the shop"), page.get_by_role("button", name="Menu")]:
            control.click(trial=True, timeout=2_000)  # fails when another element would take the click
        shopper.go(routes.CART)
        expect(page.get_by_role("row").filter(has_text="Classic T-Shirt, size M")).to_be_visible()
        expect(page.get_by_text("was added to your cart")).to_have_count(0)  # it stayed with the product page


def test_escape_closes_the_phone_menu_and_gives_focus_back_to_its_button(browser, app_server):
    with shoppers(browser, app_server.base_url, width=PHONE) as make:
        shopper = make()
        shopper.go(routes.HOME)
        menu = shopper.page.get_by_role("button", name="Menu")
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        shopper.page.get_by_role("link", name="Log in").focus()
        shopper.page.keyboard.press("Escape")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(menu).to_be_focused()
        expect(shopper.page.get_by_role("link", name="Log in")).to_be_hidden()


def test_after_a_claim_the_box_is_empty_and_the_answer_lists_what_was_sent(new_shopper):
    shopper = new_shopper()
    first, second = (place_guest_order(shopper.base_url, email("guest")) for _ in range(2))
    shopper.sign_up(email("ada"))
    shopper.claim(first, second.lower(), first)  # in any case, with a repeat: the canonical IDs, once each
    answer = shopper.page.get_by_role("status")
    expect(answer).to_contain_text("on its way")
    expect(answer.get_by_role("listitem")).to_have_text([first, second])
    expect(shopper.page.get_by_label("Order IDs")).to_have_value("")


def test_a_reset_password_says_it_was_changed_and_a_short_one_is_refused_under_its_field(new_shopper, app_server):
    account = email("ada")
    shopper = new_shopper()
    shopper.register(account)
    shopper.logout()
    shopper.go(routes.FORGOT_PASSWORD)
    shopper.page.get_by_label("Email", exact=True).fill(account)
    shopper.page.get_by_role("button", name="Send reset link").click()
    expect(shopper.page.get_by_role("status")).to_contain_text("on its way")
    shopper.page.goto(latest_link(app_server, account, "Reset your Storefront password", routes.RESET_PASSWORD))
    field = shopper.page.get_by_label("New password")
    field.evaluate("el => el.form.noValidate = true")
    field.fill("short")
    shopper.page.get_by_role("button", name="Set new password").click()
    # As on /register: the sentence under the field, tied to it, and no second box repeating it.
    expect(field).to_have_attribute("aria-invalid", "true")
    error = shopper.page.locator("#field-password-error")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text("8 characters")
    expect(shopper.page.get_by_role("alert")).to_have_count(1)
    field.fill(PASSWORD[::-1])
    shopper.page.get_by_role("button", name="Set new password").click()
    expect(shopper.page).to_have_url(re.compile(r"/account/?$"))
    expect(shopper.page.get_by_role("status")).to_contain_text("Your password was changed")
    shopper.go(routes.ACCOUNT)  # said once, not on every visit
    expect(shopper.page.get_by_test_id("order-row").or_(shopper.page.get_by_text("No orders yet"))).to_be_visible()
    expect(shopper.page.get_by_role("status")).to_have_count(0)
