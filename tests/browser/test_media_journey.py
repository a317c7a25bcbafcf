"""A press officer uploads a photo with its credit, makes it a release's lead image and
places a figure in the text; the files stay private until the release is public; then a
reader sees both, credited, at phone and desktop widths, in a light page axe finds clean."""

import importlib
import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from playwright.sync_api import expect

from articles.models import Release
from articles.querysets import Status
from newsroom.media.models import Image
from tests.browser.support import admin_log_in, describe, run_axe

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
TITLE = "Allies exercise in the Arctic"
SLUG = "allies-exercise-in-the-arctic"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def photo(colour: tuple[int, int, int], size=(2000, 1333)) -> bytes:
    """A photo-like JPEG: sky, ground, shapes (what an encoder meets in a press photo)."""
    picture = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    for n in range(0, size[0], 37):
        draw.line([(n, 0), (size[0] - n, size[1])], fill=((n * 7) % 255, 120, 200), width=5)
    draw.rectangle([size[0] // 3, size[1] // 2, size[0] // 2, size[1] - 80], fill=(30, 40, 50))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def log_in(session, username: str):
    page = session.new_page()
    admin_log_in(page, username, PASSWORD)
    return page


def upload(page, name: str, content: bytes, alt: str, caption: str, credit: str) -> Image:
    page.goto("/admin/media_library/image/add/")
    page.get_by_label("File").set_input_files(
        {"name": name, "mimeType": "image/jpeg", "buffer": content}
    )
    page.get_by_label("Alt text").fill(alt)
    page.get_by_label("Caption").fill(caption)
    page.get_by_role("textbox", name="Credit:").fill(credit)
    page.get_by_role("combobox", name="Licence:").select_option(label="CC BY 4.0")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    return Image.objects.get(alt_text=alt)


def page_weight(page) -> int:
    """Bytes transferred for the page and everything it loaded (first view, no cache)."""
    return page.evaluate(
        """() => performance.getEntriesByType('navigation')
              .concat(performance.getEntriesByType('resource'))
              .reduce((sum, entry) => sum + (entry.transferSize || entry.encodedBodySize), 0)"""
    )


def test_lead_image_and_figure_from_upload_to_reader(
    open_session, django_user_model, screenshots_dir
):
    importlib.import_module("articles.migrations.0003_roles").create_groups(apps, None)
    importlib.import_module("newsroom.media.migrations.0002_roles").grant(apps, None)
    officer_user = django_user_model.objects.create_user("oscar", password=PASSWORD, is_staff=True)
    officer_user.groups.add(Group.objects.get(name="Press officer"))

    # --- the press officer uploads two photos with their credit ----------------------------
    officer = log_in(open_session(viewport=DESKTOP, bypass_csp=True), "oscar")  # axe
    for url in ("/admin/media_library/image/add/", "/admin/media_library/image/upload/"):
        officer.goto(url)
        violations = run_axe(officer)
        assert not violations, f"{url}\n{describe(violations)}"
    lead = upload(officer, "arctic.jpg", photo((150, 190, 230)),
                  "Soldiers on skis crossing a snowfield", "Exercise Nordic Response, Norway.",
                  "NATO / Lead Photographer")  # fmt: skip
    figure = upload(officer, "tents.jpg", photo((220, 225, 230)),
                    "Tents of the field camp under snow", "The field camp at night.",
                    "NATO / Figure Photographer")  # fmt: skip
    officer.screenshot(path=str(screenshots_dir / "media-admin-image-1280.png"), full_page=True)
    officer.goto("/admin/media_library/image/")
    expect(officer.locator("#result_list")).to_contain_text("not used")
    violations = run_axe(officer)
    assert not violations, describe(violations)
    officer.screenshot(path=str(screenshots_dir / "media-admin-library-1280.png"), full_page=True)

    # --- writes the release: lead image from the library, a figure in the text ----------
    officer.goto("/admin/articles/release/add/")
    officer.get_by_label("Title").fill(TITLE)
    officer.get_by_label("Title").press("Tab")
    officer.get_by_label("Summary").fill("Allied troops trained in the Arctic winter.")
    officer.locator("#id_lead_image + .select2 .select2-selection").click()
    officer.locator(".select2-container--open .select2-search__field").fill("skis")
    officer.locator(".select2-results__option", has_text="Soldiers on skis").click()
    editor = officer.locator(".prose-editor [contenteditable=true]")
    editor.click()
    officer.keyboard.type("Thousands of troops trained in the far north.")
    officer.keyboard.press("Enter")
    officer.locator(".prose-menubar").get_by_role("button", name="figure").click()
    dialog = officer.locator("dialog[open]")
    dialog.get_by_label("Image URL").fill(figure.url)
    dialog.get_by_label("Alternative Text").fill("Tents")
    dialog.get_by_label("Caption").fill("The field camp at night.")
    dialog.get_by_role("button", name="Insert").click()
    expect(editor.locator("figure img")).to_have_count(1)
    officer.get_by_role("button", name="Save and continue editing").first.click()
    expect(officer.locator(".messagelist")).to_contain_text("was added successfully")
    release = Release.objects.get(slug=SLUG)
    assert release.lead_image_id == lead.pk and release.status == Status.DRAFT
    assert f'src="{figure.url}"' in release.body and "<figcaption" in release.body
    assert list(release.figure_links.values_list("image_id", flat=True)) == [figure.pk]

    # --- nobody outside fetches the pictures of a draft ------------------------------------
    reader_session = open_session(viewport=PHONE, is_mobile=True, bypass_csp=True)  # axe
    reader = reader_session.new_page()
    for url in (lead.url, figure.url, lead.share_image["url"]):
        assert reader.goto(url).status == 404, url

    # --- an editor publishes it (the workflow itself is another journey's) ------------------
    Release.objects.filter(pk=release.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now() - timedelta(minutes=1)
    )
    reader.goto(f"/releases/{SLUG}/")
    weight = page_weight(reader)
    assert weight < 200_000, f"{weight} bytes on first view at 375 px"
    lead_figure = reader.locator("figure.media-figure--lead")
    expect(lead_figure.locator("img")).to_have_attribute("alt", lead.alt_text)
    expect(lead_figure).to_contain_text("Credit: NATO / Lead Photographer")
    expect(lead_figure.get_by_role("link", name="CC BY 4.0")).to_be_visible()
    loaded = lead_figure.locator("img").evaluate("img => img.currentSrc")
    assert "/media/renditions/" in loaded and loaded.endswith(".avif"), loaded
    body_figure = reader.locator(".prose figure.media-figure")
    body_figure.scroll_into_view_if_needed()
    expect(body_figure.locator("img")).to_have_attribute("alt", figure.alt_text)
    expect(body_figure).to_contain_text("The field camp at night.")
    expect(body_figure).to_contain_text("Credit: NATO / Figure Photographer")
    reader.screenshot(path=str(screenshots_dir / "media-release-375.png"), full_page=True)
    violations = run_axe(reader)
    assert not violations, describe(violations)

    desktop = open_session(viewport=DESKTOP, bypass_csp=True).new_page()
    desktop.goto(f"/releases/{SLUG}/")
    expect(desktop.locator("figure.media-figure--lead img")).to_be_visible()
    box = desktop.locator("figure.media-figure--lead img").bounding_box()
    assert 600 <= box["width"] <= 700, box  # the article column, not the image's own size
    desktop.screenshot(path=str(screenshots_dir / "media-release-1280.png"), full_page=True)
    assert not run_axe(desktop), describe(run_axe(desktop))
    desktop.goto("/releases/")
    card = desktop.locator("article.card--picture", has_text=TITLE)
    expect(card).to_contain_text("NATO / Lead Photographer")
    desktop.screenshot(path=str(screenshots_dir / "media-release-list-1280.png"))
    violations = run_axe(desktop)
    assert not violations, describe(violations)
