"""A press officer writes and submits a release; an editor schedules, corrects and restores it."""

import importlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Release
from articles.querysets import Status
from tests.browser.support import admin_log_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
TITLE = "Allies agree to strengthen integrated air and missile defence"
SLUG = "allies-agree-to-strengthen-integrated-air-and-missile-defence"
SUMMARY = "Defence ministers agreed on Thursday to strengthen air and missile defence."
COMMUNIQUE = "https://www.nato.int/cps/en/natohq/official_texts.htm"
CORRECTED = "Defence ministers agreed on Wednesday to strengthen air and missile defence."


def staff_member(django_user_model, username: str, group: str):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(session, username: str):
    """Through the real admin login form (django-axes sees a normal login)."""
    page = session.new_page()
    admin_log_in(page, username, PASSWORD)
    return page


def choose_in_autocomplete(page, field: str, typed: str, option: str) -> None:
    """The admin's select2 autocomplete: open it, type, pick the offered option."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    search = page.locator(f"#id_{field} + .select2 .select2-search__field")
    search.fill(typed)
    page.locator(".select2-results__option", has_text=option).click()
    expect(page.locator(f"#id_{field} + .select2")).to_contain_text(option)


def write_body(page) -> None:
    """Paragraph, heading, bullet list, link and quotation with the editor's toolbar."""
    editor = page.locator(".prose-editor [contenteditable=true]")
    menu = page.locator(".prose-menubar")
    editor.click()
    page.keyboard.type("NATO Defence Ministers met in Brussels.")
    page.keyboard.press("Enter")

    menu.locator(".prose-menubar__selected").click()
    menu.locator('[data-name="heading2"]').click()
    page.keyboard.type("What was agreed")
    page.keyboard.press("Enter")

    menu.get_by_role("button", name="unordered list").click()
    page.keyboard.type("More ground-based air defence")
    page.keyboard.press("Enter")
    page.keyboard.type("Faster joint procurement")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list

    menu.get_by_role("button", name="blockquote").click()
    page.keyboard.type("Our shield must cover every Ally.")

    # Last, so that no typing follows the link dialog: link the opening sentence.
    # The menu greys "insert link" out (a class, not the disabled attribute) while the
    # selection is empty, and a click on it then does nothing: wait for the selection
    # to reach the editor before clicking.
    editor.locator("p").first.click(click_count=3)
    insert_link = menu.get_by_role("button", name="insert link")
    expect(insert_link).not_to_have_class(re.compile(r"\bdisabled\b"))
    insert_link.click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("URL").fill(COMMUNIQUE)
    dialog.get_by_role("button", name="Update").click()

    expect(editor.locator("h2")).to_have_text("What was agreed")
    expect(editor.locator("ul > li")).to_have_count(2)
    expect(editor.locator("a")).to_have_text("NATO Defence Ministers met in Brussels.")
    expect(editor.locator("blockquote")).to_have_text("Our shield must cover every Ally.")


def run_action(page, action_label: str, title: str) -> None:
    """Tick the item in the change list and run an action on it."""
    page.locator("#result_list tbody tr", has_text=title).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label=action_label)
    page.get_by_role("button", name="Go").click()


def test_release_from_draft_to_scheduled_to_live_to_restored(open_session, django_user_model):
    # The roles come from a data migration; a transactional test's database starts empty.
    importlib.import_module("articles.migrations.0003_roles").create_groups(apps, None)
    staff_member(django_user_model, "oscar", "Press officer")
    staff_member(django_user_model, "edith", "Editor")

    # --- the press officer writes it -------------------------------------------
    officer = log_in(open_session(), "oscar")
    officer.goto("/admin/articles/release/add/")
    officer.get_by_label("Title").fill(TITLE)
    officer.get_by_label("Title").press("Tab")
    expect(officer.get_by_label("Slug")).to_have_value(SLUG)  # prepopulated from the title
    officer.get_by_label("Kind").select_option(label="News")
    officer.get_by_label("Summary").fill(SUMMARY)
    write_body(officer)
    # Tags come from the vocabulary: picked by the autocomplete, never typed anew.
    choose_in_autocomplete(officer, "tags", "Ukr", "Ukraine")
    choose_in_autocomplete(officer, "speakers", "Stolt", "Jens Stoltenberg")
    choose_in_autocomplete(officer, "events", "Defence Min", "Meetings of NATO Defence Ministers")
    officer.get_by_role("button", name="Save and continue editing").first.click()
    expect(officer.locator(".messagelist")).to_contain_text("was added successfully")

    release = Release.objects.get(slug=SLUG)
    assert release.status == Status.DRAFT
    for markup in ("<h2>What was agreed</h2>", "<li>", "<blockquote>", f'href="{COMMUNIQUE}"'):
        assert markup in release.body
    assert sorted(release.tags.names()) == ["Ukraine"]
    assert [s.slug for s in release.speakers.all()] == ["jens-stoltenberg"]
    assert [e.slug for e in release.events.all()] == ["defence-ministers-february-2021"]

    # "View on site" opens the staff preview while the item is not public.
    officer.get_by_role("link", name="View on site").click()
    expect(officer.locator(".preview-banner")).to_contain_text("Preview — not public")
    expect(officer.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(officer.locator(".prose h2")).to_have_text("What was agreed")
    expect(officer.locator(".article__meta")).to_contain_text("Jens Stoltenberg")

    officer.goto("/admin/articles/release/")
    run_action(officer, "Submit for review", TITLE)
    expect(officer.locator(".messagelist")).to_contain_text("1 item(s) submitted for review")
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW

    # --- the editor schedules it ---------------------------------------------------
    editor = log_in(open_session(), "edith")
    editor.goto("/admin/articles/release/")
    run_action(editor, "Schedule… (publish at a chosen time)", TITLE)
    expect(editor.get_by_role("heading", name="Schedule publication")).to_be_visible()
    due = timezone.localtime().replace(second=0, microsecond=0) + timedelta(hours=1)
    editor.locator("#id_publish_at_0").fill(due.strftime("%Y-%m-%d"))
    editor.locator("#id_publish_at_1").fill(due.strftime("%H:%M:%S"))
    editor.get_by_role("button", name="Schedule").click()
    expect(editor.locator(".messagelist")).to_contain_text("embargoed until")
    release.refresh_from_db()
    assert (release.status, release.published_at) == (Status.PUBLISHED, due)

    # --- an anonymous visitor cannot see it before its time ------------------------------
    reader = open_session().new_page()
    assert reader.goto(f"/releases/{SLUG}/").status == 404
    reader.goto("/releases/")
    expect(reader.get_by_role("link", name=TITLE)).to_have_count(0)

    # --- past the embargo (the live server is a thread of this process: it sees the
    # travelled clock too). Ten minutes past, so a correction shows as "Last updated".
    with time_machine.travel(due + timedelta(minutes=10), tick=True):
        assert reader.goto(f"/releases/{SLUG}/").status == 200
        expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
        reader.goto("/releases/")
        expect(reader.get_by_role("link", name=TITLE)).to_be_visible()

        # --- the editor corrects it -------------------------------------------------------
        editor.goto("/admin/articles/release/")
        editor.locator("#result_list").get_by_role("link", name=TITLE).click()
        editor.get_by_label("Summary").fill(CORRECTED)
        editor.get_by_label("Substantive, a correction").check()
        editor.get_by_label("Public change note").fill(
            "We said ministers agreed on Tuesday; they agreed on Wednesday."
        )
        editor.get_by_role("button", name="Save", exact=True).first.click()
        expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
        reader.goto(f"/releases/{SLUG}/")
        expect(reader.locator(".article__lead")).to_have_text(CORRECTED)
        expect(reader.locator(".article__meta")).to_contain_text("Last updated")

        # --- compares the first and the latest revisions, and restores the first --------------
        editor.locator("#result_list").get_by_role("link", name=TITLE).click()
        editor.get_by_role("link", name="History").click()
        rows = editor.locator("#revision-list tbody tr")
        expect(rows.first).to_contain_text("Changed summary")
        expect(rows.last).to_contain_text("Created")
        rows.last.get_by_role("radio", name="Compare from").check()
        rows.first.get_by_role("radio", name="Compare to").check()
        editor.get_by_role("button", name="Compare selected revisions").click()
        summary_row = editor.locator("table.diff tr").filter(has_text="Summary")
        expect(summary_row.locator("del")).to_have_text("Thursday")
        expect(summary_row.locator("ins")).to_have_text("Wednesday")
        # The latest revision is the current text: only the first one offers a restore.
        restore = editor.get_by_role("button", name=re.compile(r"^Restore the revision of"))
        expect(restore).to_have_count(1)
        restore.click()
        # The item is live: the editor is told the public page changes, and confirms.
        expect(editor.locator("#content-main")).to_contain_text("the public page changes")
        editor.get_by_role("button", name="Restore on the live page").click()
        expect(editor.locator(".messagelist")).to_contain_text("Restored the revision")

        reader.goto(f"/releases/{SLUG}/")
        expect(reader.locator(".article__lead")).to_have_text(SUMMARY)
        release.refresh_from_db()
        assert (release.status, release.published_at) == (Status.PUBLISHED, due)
