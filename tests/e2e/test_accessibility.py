"""Keyboard and screen-reader paths axe cannot judge: the skip link, the phone menu, where focus lands after
a navigation or a form's answer, names that say which cart row a control belongs to, and field errors tied
to their fields."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from storefront import routes
from tests.e2e.audit import PHONE
from tests.e2e.conftest import email, shoppers

FOCUSED = "document.activeElement"


def focused_text(page) -> str:
    return page.evaluate(f"{FOCUSED}.textContent.trim()")


def test_skip_link_is_the_first_stop_and_lands_in_the_main_content(shopper):
    shopper.go(routes.CART)
    expect(shopper.page.get_by_role("heading", name="Cart")).to_be_visible()
    # Focus moves with the page's script (assets/storefront.js); before it has loaded, the browser's own jump
    # scrolls and moves where the next Tab starts, without focusing <main>.
    shopper.page.wait_for_function("window.storefront !== undefined")
    shopper.page.keyboard.press("Tab")
    skip = shopper.page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown while focused, for sighted keyboard users too
    shopper.page.keyboard.press("Enter")
    expect(shopper.page.locator("main")).to_be_focused()
    expect(shopper.page).to_have_url(re.compile(r"/cart/?$"))  # no history entry: Back leaves the cart


def test_a_skip_link_pressed_while_the_page_loads_keeps_focus_where_the_person_put_it(shopper):
    """After a navigation the page's heading takes focus once the page is drawn (up to 3 s for a slow load);
    a keyboard user who meanwhile jumped to the content keeps their place, or they would be thrown back up."""
    shopper.go(routes.CART)
    expect(shopper.page.get_by_role("heading", name="Cart")).to_be_visible()
    shopper.page.wait_for_function("window.storefront !== undefined")  # the focus script is running
    # A navigation to the same heading: the script waits its full 3 s for a new one before settling on it.
    shopper.page.evaluate("history.pushState(null, '', location.pathname + '?again=1')")
    shopper.page.keyboard.press("Tab")
    expect(shopper.page.get_by_role("link", name="Skip to content")).to_be_focused()
    shopper.page.keyboard.press("Enter")
    main = shopper.page.locator("main")
    expect(main).to_be_focused()
    # Nothing to wait on when nothing should happen: outlast the script's 3 s, then look again.
    shopper.page.wait_for_timeout(3500)
    expect(main).to_be_focused()


def test_phone_header_folds_behind_a_menu_button_that_works_by_keyboard(browser, app_server):
    with shoppers(browser, app_server.base_url, width=PHONE) as make:
        page = make().page
        page.goto(app_server.url(routes.HOME))
        menu = page.get_by_role("button", name="Menu")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_role("link", name="Log in")).to_be_hidden()
        expect(page.get_by_role("link", name=re.compile(r"^Cart"))).to_be_visible()  # the cart stays in sight
        header_height = page.locator("header").bounding_box()["height"]
        assert header_height < 130, header_height  # one row under the demo banner, not two or three
        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        assert menu.get_attribute("aria-controls") == page.get_by_role("navigation", name="Main").get_attribute("id")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Shop")).to_be_focused()
        page.get_by_role("link", name="Log in").click()
        expect(page).to_have_url(re.compile(r"/login/?$"))
        expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")


def test_wide_header_shows_its_links_without_a_menu_button(shopper):
    shopper.go(routes.HOME)
    expect(shopper.page.get_by_role("link", name="Log in")).to_be_visible()
    expect(shopper.page.get_by_role("button", name="Menu")).to_be_hidden()


def test_focus_moves_to_the_new_pages_heading_after_a_client_side_navigation(shopper):
    shopper.go(routes.HOME)
    shopper.page.get_by_role("link", name="Zip Hoodie").click()
    heading = shopper.page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Zip Hoodie")
    expect(heading).to_be_focused()
    shopper.page.get_by_role("link", name="Back to the shop").click()
    expect(shopper.page.get_by_role("heading", name="Shop", level=1)).to_be_focused()


def test_a_cart_rows_controls_say_which_product_and_size_they_change(shopper):
    shopper.add_to_cart("Classic T-Shirt")
    shopper.add_to_cart("Dot Notebook")
    shopper.go(routes.CART)
    tee_quantity = shopper.page.get_by_role("combobox", name="Quantity of Classic T-Shirt, size S", exact=True)
    expect(tee_quantity).to_have_value("1")
    shopper.page.get_by_label("Quantity of Dot Notebook", exact=True).select_option("2")
    expect(shopper.page.get_by_role("row").filter(has_text="Dot Notebook")).to_contain_text("€18.00")
    shopper.page.get_by_role("button", name="Remove Classic T-Shirt, size S", exact=True).click()
    expect(shopper.page.get_by_role("row").filter(has_text="Classic T-Shirt")).to_have_count(0)
    expect(shopper.page.get_by_role("columnheader", name="Remove")).to_be_attached()  # no empty header


def test_every_field_error_at_once_tied_to_its_field_with_one_summary(shopper):
    shopper.add_to_cart()
    shopper.fill_checkout(email_address="not-an-email", full_name="Cher", address=" ")
    shopper.page.get_by_label("City").fill("")
    shopper.page.evaluate("document.querySelector('form').noValidate = true")
    shopper.page.get_by_role("button", name="Place order").click()
    summary = shopper.page.get_by_role("alert")
    expect(summary).to_have_count(1)
    expect(summary).to_contain_text("Please correct these 3 fields")
    expect(summary).to_be_focused()  # the answer to the submit, where a screen reader reads it
    for label, sentence in (("Email", "valid email"), ("Address", "street address"), ("City", "your city")):
        field = shopper.page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(sentence))
        expect(shopper.page.get_by_text(re.compile(sentence))).to_have_count(1)  # said once, under its field
    expect(shopper.page.get_by_label("Full name")).to_have_attribute("aria-invalid", "false")
    expect(shopper.page.get_by_label("Postal code")).to_have_attribute("aria-invalid", "false")
    summary.get_by_role("link", name="City").click()
    expect(shopper.page.get_by_label("City")).to_be_focused()

    shopper.page.get_by_label("Email", exact=True).fill(email("guest"))
    shopper.page.get_by_label("Address").fill("1 Harbour Street")
    shopper.page.get_by_label("City").fill("Arlington")
    shopper.page.get_by_label("Postal code").fill(" ")
    shopper.page.get_by_role("button", name="Place order").click()
    alert = shopper.page.get_by_role("alert")
    expect(alert).to_have_text(re.compile(r"Enter your postal code"))  # one error: no summary repeats it
    expect(alert).to_be_focused()
    expect(shopper.page.get_by_label("Postal code")).to_have_attribute("aria-invalid", "true")
    expect(shopper.page.get_by_label("City")).to_have_attribute("aria-invalid", "false")


def test_registration_reports_every_field_and_focuses_the_answer(shopper):
    shopper.go(routes.REGISTER)
    shopper.page.get_by_label("First name").fill("Ada")
    shopper.page.get_by_label("Email", exact=True).fill("nope")
    shopper.page.get_by_label("Password").fill("short")
    shopper.page.evaluate("document.querySelector('form').noValidate = true")
    shopper.page.get_by_role("button", name="Create account").click()
    summary = shopper.page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct these 3 fields")
    expect(summary).to_be_focused()
    for label in ("Last name", "Email", "Password"):
        expect(shopper.page.get_by_label(label, exact=True)).to_have_attribute("aria-invalid", "true")
    expect(shopper.page.get_by_label("Password")).to_have_accessible_description(re.compile("at least 8"))


def test_a_status_answer_takes_focus_too(shopper):
    shopper.register(email("ada"))
    shopper.claim("order_01JABCDEFGHJKMNPQRSTVWXYZ0")
    status = shopper.page.get_by_role("status")
    expect(status).to_contain_text("confirmation link is on its way")
    expect(status).to_be_focused()
