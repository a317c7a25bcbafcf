"""What an editor and a journalist see of an advance copy: the send page with its
recipients, and the embargoed page with its banner (screenshots at 1280 and 375 px)."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from newsroom.distribution.models import Contact, DistributionList
from tests.browser.support import admin_log_in
from tests.browser.test_alerts_journey import PASSWORD, shoot
from tests.distribution_support import DATABASE, links_in, run_worker
from tests.factories import make_release

pytestmark = pytest.mark.browser


def test_an_editor_sends_an_advance_copy_and_the_journalist_reads_it_under_embargo(
    open_session, django_user_model, settings, screenshots_dir
):
    settings.TASKS = DATABASE
    importlib.import_module("articles.migrations.0003_roles").create_groups(apps, None)
    importlib.import_module("newsroom.distribution.migrations.0002_roles").grant(apps, None)
    editor = django_user_model.objects.create_user("edith", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    press = DistributionList.objects.create(name="Accredited press")
    press.contacts.add(
        Contact.objects.create(name="Anna Reporter", email="anna@paper.example", outlet="Paper"),
        Contact.objects.create(name="Ben Wire", email="ben@wire.example", outlet="Wire"),
    )
    make_release(title="Summit communiqué", summary="Allies agree a new defence plan.",
                 published_at=timezone.now() + timedelta(hours=5))  # fmt: skip
    mail.outbox = []

    desk = open_session().new_page()
    admin_log_in(desk, "edith", PASSWORD)
    desk.goto("/admin/distribution/advancecopy/send/")
    desk.get_by_label("Scheduled item").select_option(label=desk.locator(
        "#id_item option", has_text="Summit communiqué").inner_text())  # fmt: skip
    desk.get_by_label("Accredited press").check()
    desk.get_by_role("button", name="Show recipients").click()
    expect(desk.get_by_text("2 recipients of “Summit communiqué”")).to_be_visible()
    shoot(desk, screenshots_dir, "advance-send")
    desk.get_by_role("button", name="Send to 2 recipients").click()
    expect(desk.get_by_text("Queued 2 advance copies")).to_be_visible()

    run_worker()
    assert len(mail.outbox) == 2
    (anna,) = [m for m in mail.outbox if "anna@paper.example" in m.to[0]]
    link = next(url for url in links_in(anna) if "/advance/" in url)
    journalist = open_session().new_page()
    journalist.goto(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    expect(journalist.get_by_text("Embargoed until")).to_be_visible()
    expect(journalist.get_by_role("heading", name="Summit communiqué")).to_be_visible()
    shoot(journalist, screenshots_dir, "advance-copy")
    desk.goto("/admin/distribution/advancecopy/")
    expect(desk.get_by_text("Anna Reporter")).to_be_visible()
