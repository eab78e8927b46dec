"""The running app's home page and the staff sign-in, in a real browser."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_links_to_staff_sign_in(live_server, page):
    page.goto(live_server.url + "/")

    expect(page).to_have_title("dsar: data-subject rights requests")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data-subject rights requests")
    page.get_by_role("link", name="Staff sign-in").click()
    expect(page.get_by_label("Username")).to_be_visible()


def test_staff_member_signs_in_to_the_admin(live_server, page):
    get_user_model().objects.create_user(
        "alice", password="a-long-test-password", is_staff=True, is_superuser=True
    )
    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Data-subject requests")).to_be_visible()
    expect(page.get_by_text("Welcome, alice")).to_be_visible()


def test_wrong_password_is_refused_with_a_message(live_server, page):
    get_user_model().objects.create_user("alice", password="a-long-test-password", is_staff=True)
    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_text("Please enter the correct username and password")).to_be_visible()
