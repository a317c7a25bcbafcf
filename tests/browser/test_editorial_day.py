"""The press officer's day in a browser (issue 22): the admin home's review queue, a
detail page's side column, the tags autocomplete and the event box under the CSP; axe
clean at 1280 and 375 px, with screenshots in artifacts/screenshots/."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Release, Speech
from articles.querysets import Status
from tests.browser.support import admin_log_in, describe, run_axe
from tests.factories import make_release

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
PHONE = {"width": 375, "height": 812}
DETAIL = "/speeches/joint-press-conference-with-president-duda-2024/"


def editor_page(open_session, django_user_model, **options):
    importlib.import_module("articles.migrations.0003_roles").create_groups(apps, None)
    importlib.import_module("articles.migrations.0012_editorial_day").vocabulary_roles(apps, None)
    if not django_user_model.objects.filter(username="edith").exists():
        user = django_user_model.objects.create_user("edith", password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name="Editor"))
    page = open_session(**options).new_page()
    admin_log_in(page, "edith", PASSWORD)
    return page


def csp_errors(page) -> list[str]:
    """Console messages of resources or inline code the Content-Security-Policy refused."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_review_queue_on_the_admin_home(open_session, django_user_model, screenshots_dir):
    make_release(title="Allies review their air defence plans", status=Status.IN_REVIEW)
    make_release(title="Embargoed: ministers meet", published_at=timezone.now() + timedelta(days=2))
    for name, viewport in (("desktop", None), ("phone", PHONE)):
        options = {"bypass_csp": True} | ({"viewport": viewport} if viewport else {})
        page = editor_page(open_session, django_user_model, **options)
        page.goto("/admin/")
        queue = page.locator(".review-queue")
        expect(queue.get_by_role("heading", name="Waiting for review")).to_be_visible()
        expect(
            queue.get_by_role("link", name="Allies review their air defence plans")
        ).to_be_visible()
        expect(queue).to_contain_text("lifts")
        page.screenshot(path=str(screenshots_dir / f"admin-home-{name}.png"), full_page=True)
        violations = run_axe(page)
        assert not violations, describe(violations)
        # One click from the home page to the item waiting for review.
        queue.get_by_role("link", name="Allies review their air defence plans").click()
        expect(page.get_by_role("heading", name="Revisions of", exact=False)).to_be_visible()


def test_detail_page_side_column(open_session, screenshots_dir):
    for name, viewport in (("desktop", None), ("phone", PHONE)):
        options = {"bypass_csp": True} | ({"viewport": viewport} if viewport else {})
        page = open_session(**options).new_page()
        page.goto(DETAIL)
        side = page.locator(".detail-side")
        expect(side.get_by_role("link", name="Andrzej Duda")).to_be_visible()
        article, aside = page.locator("article.article").bounding_box(), side.bounding_box()
        if name == "desktop":  # beside the text, using the right half of the screen
            assert aside["x"] > article["x"] + article["width"]
            assert aside["y"] < article["y"] + 200
        else:  # after the text on a phone
            assert aside["y"] >= article["y"] + article["height"]
        page.screenshot(path=str(screenshots_dir / f"detail-side-{name}.png"), full_page=True)
        violations = run_axe(page)
        assert not violations, describe(violations)


def test_change_form_widgets_work_under_the_csp(open_session, django_user_model, screenshots_dir):
    speech = Speech.objects.get(slug="joint-press-conference-with-president-duda-2024")
    page = editor_page(open_session, django_user_model)  # the CSP enforced
    refused = csp_errors(page)
    page.goto(f"/admin/articles/speech/{speech.pk}/change/")
    page.locator(".prose-editor [contenteditable=true]").wait_for()
    event = page.locator("#id_event + .select2 .select2-selection__rendered")
    expect(event).to_contain_text(speech.event.name)
    # The chosen event's whole name shows: nothing cut off under its clear (×) button.
    assert event.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    page.locator("#id_event + .select2").screenshot(path=str(screenshots_dir / "admin-event.png"))
    # The tags box: an autocomplete over the vocabulary.
    page.locator("#id_tags + .select2 .select2-selection").click()
    page.locator("#id_tags + .select2 .select2-search__field").fill("Ukr")
    expect(page.locator(".select2-results__option", has_text="Ukraine")).to_be_visible()
    page.keyboard.press("Escape")
    title = page.get_by_label("Title")
    speech.title = "A long title: " + speech.title + " — " + speech.title
    title.fill(speech.title)
    # The whole title shows: the box wraps it rather than scrolling it out of sight.
    assert title.evaluate(
        "e => e.scrollHeight <= e.clientHeight + 2 && e.scrollWidth <= e.clientWidth + 1"
    )
    page.screenshot(path=str(screenshots_dir / "admin-speech-form.png"), full_page=True)
    assert not refused, refused
    assert Release.objects.exists()


def test_no_server_time_note_on_any_admin_date_or_time_box(open_session, django_user_model):
    """A browser in another zone than the newsroom's: Django would add "You are N hours
    behind server time" under every date and time box of the admin (issue 22)."""
    page = editor_page(open_session, django_user_model, timezone_id="America/New_York")
    library = Permission.objects.filter(content_type__app_label="media_library")
    django_user_model.objects.get(username="edith").user_permissions.add(*library)
    for url in (
        "/admin/articles/release/add/",
        "/admin/articles/event/add/",
        "/admin/media_library/image/add/",  # outside the articles app's own templates
    ):
        assert page.goto(url).status == 200, url
        boxes = page.locator("input.vDateField, input.vTimeField")
        expect(boxes.first).to_be_attached()
        # DateTimeShortcuts adds its shortcuts on load: wait for them, then look for the note.
        expect(page.locator(".datetimeshortcuts").first).to_be_attached()
        assert page.locator(".timezonewarning").count() == 0, url
