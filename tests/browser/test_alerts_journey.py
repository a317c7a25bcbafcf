"""A reader subscribes to alerts from a filtered list, confirms from the email, and gets
an alert when an editor publishes a matching release; sending runs on the database
task queue's worker, as `make run` starts it. Screenshots of the new pages at desktop
and phone widths go to artifacts/screenshots/."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from articles.querysets import Status
from tests.browser.support import admin_log_in
from tests.distribution_support import DATABASE, links_in, run_worker
from tests.factories import make_release

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
PHONE = {"width": 375, "height": 740}


def shoot(page, directory, name: str) -> None:
    page.screenshot(path=str(directory / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(directory / f"{name}-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_reader_subscribes_confirms_and_hears_of_a_new_release(
    open_session, django_user_model, settings, screenshots_dir
):
    settings.TASKS = DATABASE
    importlib.import_module("articles.migrations.0003_roles").create_groups(apps, None)
    importlib.import_module("newsroom.distribution.migrations.0002_roles").grant(apps, None)
    editor = django_user_model.objects.create_user("edith", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    draft = make_release(title="Sweden marks its first year as an Ally", tags=["Sweden"],
                         status=Status.DRAFT, summary="A year in the Alliance.")  # fmt: skip
    mail.outbox = []

    reader = open_session().new_page()
    reader.goto("/releases/?tag=sweden")
    reader.get_by_role("link", name="Get email alerts").click()
    expect(reader.get_by_role("heading", name="Get email alerts")).to_be_visible()
    expect(reader.get_by_text("Releases: tagged Sweden")).to_be_visible()
    shoot(reader, screenshots_dir, "alerts-subscribe")
    reader.get_by_label("Your email address").fill("reader@example.org")
    reader.get_by_label("As soon as an item is published").check()
    reader.get_by_role("button", name="Send me a confirmation link").click()
    expect(reader.get_by_role("heading", name="Check your inbox")).to_be_visible()

    run_worker()  # the worker sends the confirmation
    (confirmation,) = mail.outbox
    confirm_url = links_in(confirmation)[0]
    reader.goto(re.sub(r"^https?://[^/]+", "", confirm_url))
    expect(reader.get_by_role("heading", name="Confirm your alert")).to_be_visible()
    shoot(reader, screenshots_dir, "alerts-confirm")
    reader.get_by_role("button", name="Confirm").click()
    expect(reader.get_by_role("heading", name="Your alert")).to_be_visible()
    expect(reader.get_by_text("Your alert is confirmed.")).to_be_visible()
    shoot(reader, screenshots_dir, "alerts-manage")

    desk = open_session().new_page()
    admin_log_in(desk, "edith", PASSWORD)
    desk.goto("/admin/articles/release/?status__exact=draft")
    desk.locator(f'input[name="_selected_action"][value="{draft.pk}"]').check()
    desk.locator('select[name="action"]').select_option("publish_now")
    desk.get_by_role("button", name="Go").click()
    expect(desk.get_by_text("Published 1 item(s); live now.")).to_be_visible()

    mail.outbox = []
    run_worker()  # the announcement, then its delivery
    (alert,) = mail.outbox
    assert alert.to == ["reader@example.org"]
    assert alert.subject == "New release: Sweden marks its first year as an Ally"
    assert "List-Unsubscribe" in alert.extra_headers
