"""Issue 18: an editor corrects a live release with a public note, withdraws another and
removes a third; a reader, on a desktop and on a 375 px phone, finds the note, what
changed, the withdrawal notice, the removed item's 410 note and the corrections record.
Screenshots in artifacts/screenshots/corrections-*.png; every page axe-clean."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser.support import admin_log_in, describe, run_axe

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
CORRECTED = "sweden-attends-first-north-atlantic-council-as-ally"
CORRECTED_TITLE = "Sweden attends first North Atlantic Council meeting as an Ally"
WITHDRAWN = "8th-military-staff-talks-with-china"
REMOVED = "no-business-like-snow-business"
NOTE = (
    "We said thirty-two Allies met on Wednesday (13 March 2024); they met on Tuesday "
    "(12 March 2024)."
)
WITHDRAWAL = "Withdrawn at the request of the Military Committee pending a review of the talks."
REMOVAL = "Removed because it used photographs without the photographers' permission."
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def editor_page(open_session, django_user_model):
    importlib.import_module("articles.migrations.0003_roles").create_groups(apps, None)
    importlib.import_module(
        "articles.migrations.0008_listed_and_content_version"
    ).grant_editor_permissions(apps, None)
    user = django_user_model.objects.create_user("edith", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    page = open_session().new_page()
    admin_log_in(page, "edith", PASSWORD)
    return page


def take_down(page, slug_title: str, action: str, notice: str, button: str) -> None:
    page.goto("/admin/articles/release/")
    page.locator("#result_list tbody tr", has_text=slug_title).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Public notice").fill(notice)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".messagelist")).to_contain_text("readers see your notice")


def check(page, name: str, screenshots_dir) -> None:
    page.screenshot(path=screenshots_dir / f"corrections-{name}.png", full_page=True)
    violations = run_axe(page)
    assert not violations, f"{name}\n{describe(violations)}"


def test_editor_corrects_and_withdraws_and_a_reader_sees_why(
    open_session, django_user_model, screenshots_dir
):
    editor = editor_page(open_session, django_user_model)

    # --- a correction with its public note -------------------------------------------------
    editor.goto("/admin/articles/release/")
    editor.locator("#result_list").get_by_role("link", name=CORRECTED_TITLE).click()
    summary = editor.get_by_label("Summary")
    summary.fill(summary.input_value().replace("Tuesday", "Tuesday, the day before"))
    editor.get_by_label("Substantive, a correction").check()
    editor.get_by_label("Public change note").fill(NOTE)
    editor.get_by_role("button", name="Save", exact=True).first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    # --- a withdrawal and a removal, each with its notice ------------------------------------
    take_down(
        editor,
        "8th NATO military staff talks",
        "Withdraw… (page stays readable with a public notice)",
        WITHDRAWAL,
        "Withdraw",
    )
    take_down(
        editor,
        "no business like snow",
        "Remove… (address answers 410 with a short note)",
        REMOVAL,
        "Remove",
    )

    for device, options in (("desktop", {}), ("phone", PHONE)):
        reader = open_session(bypass_csp=True, **options).new_page()

        # The corrected page: its note under "Changes to this page", then what changed.
        reader.goto(f"/releases/{CORRECTED}/")
        changes = reader.get_by_role("region", name="Changes to this page")
        expect(changes).to_contain_text("Updated ")
        expect(changes).to_contain_text("Correction.")
        expect(changes).to_contain_text(NOTE)
        check(reader, f"{device}-corrected-page", screenshots_dir)
        changes.get_by_role("link", name="What changed").click()
        expect(reader.get_by_role("heading", level=1)).to_contain_text("What changed")
        expect(reader.locator(".diff ins").first).to_contain_text("added:")
        expect(reader.locator(".diff ins").first).to_contain_text("the day before")
        check(reader, f"{device}-what-changed", screenshots_dir)

        # The withdrawn page: readable, under its notice; gone from the list.
        reader.goto(f"/releases/{WITHDRAWN}/")
        notice = reader.get_by_role("note").filter(has_text="Withdrawn on")
        expect(notice).to_contain_text(WITHDRAWAL)
        expect(reader.get_by_role("heading", level=1)).to_have_text(
            "8th NATO military staff talks with China"
        )
        check(reader, f"{device}-withdrawn-page", screenshots_dir)
        reader.goto("/releases/")
        expect(
            reader.get_by_role("link", name="8th NATO military staff talks with China")
        ).to_have_count(0)

        # The removed page: 410, a short note (title, dates, reason), never the text.
        response = reader.goto(f"/releases/{REMOVED}/")
        assert response.status == 410
        expect(reader.get_by_role("heading", level=1)).to_have_text("This release has been removed")
        expect(reader.locator("main")).to_contain_text(REMOVAL)
        expect(reader.locator("main")).to_contain_text("There’s no business like snow business")
        expect(reader.locator("main")).to_contain_text("First published")
        check(reader, f"{device}-removed-410", screenshots_dir)

        # The record of corrections and withdrawals, newest first.
        reader.goto("/corrections/")
        entries = reader.locator("ol.corrections > li")
        expect(entries).to_have_count(3)
        expect(entries.nth(0)).to_contain_text("Removed")
        expect(entries.nth(1)).to_contain_text("Withdrawn")
        expect(entries.nth(2)).to_contain_text("Correction")
        expect(entries.nth(2)).to_contain_text(NOTE)
        check(reader, f"{device}-corrections", screenshots_dir)
        # Nothing sticks out of a phone's screen.
        width = reader.evaluate("document.documentElement.scrollWidth")
        assert width <= reader.viewport_size["width"], f"{device}: page {width}px wide"
