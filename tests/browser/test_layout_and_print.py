"""Pages read well on a phone, a tablet, a desktop and on paper; filters scale on a phone."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from articles.counts import SUGGESTED_SPEAKERS, SUGGESTED_TAGS

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 375, "tablet": 768, "desktop": 1280}
PAGES = {
    "home": "/",
    "release-list": "/releases/",
    "release": "/releases/secretary-general-launches-annual-report-2023/",
    "speech": "/speeches/joint-press-conference-with-president-duda-2024/",
}
PHONE = {"width": 375, "height": 812}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
WIDER_THAN_VIEWPORT = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
             + (el.className && typeof el.className === 'string' ? '.' + el.className : ''))"""


def test_pages_at_phone_tablet_and_desktop_widths(open_session, screenshots_dir):
    """Screenshots for people to look at (artifacts/screenshots/), and no page scrolls
    sideways at any width."""
    for device, width in WIDTHS.items():
        page = open_session(viewport={"width": width, "height": 900}).new_page()
        for name, address in PAGES.items():
            page.goto(address)
            page.screenshot(path=str(screenshots_dir / f"{name}-{width}.png"), full_page=True)
            assert page.evaluate(NO_SIDEWAYS_SCROLL), (
                f"{address} scrolls sideways on a {device}: {page.evaluate(WIDER_THAN_VIEWPORT)}"
            )


def test_filter_form_with_hundreds_of_tags_and_speakers_works_on_a_phone(open_session):
    """~300 tags and ~500 speakers (generate_archive): the form offers the most used of
    them as type-ahead lists (<datalist>), which need no JavaScript (it is off here),
    links to the full directories, and fits a 375 px screen."""
    call_command("generate_archive", releases=1500, speeches=0, seed=8, verbosity=0)
    phone = open_session(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    page = phone.new_page()
    page.goto("/releases/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDER_THAN_VIEWPORT)

    form = page.get_by_role("search", name="Filter")
    tag_box, speaker_box = form.get_by_label("Add a tag"), form.get_by_label("Speaker")
    assert tag_box.get_attribute("list") == "tag-options"
    assert speaker_box.get_attribute("list") == "speaker-options"
    tags = page.locator("#tag-options option")
    speakers = page.locator("#speaker-options option")
    assert tags.count() == SUGGESTED_TAGS, "the most used of the ~300 tags"
    assert speakers.count() == SUGGESTED_SPEAKERS, "the most quoted of the ~500 speakers"
    expect(form.get_by_role("link", name="All topics")).to_have_attribute("href", "/tags/")
    expect(form.get_by_role("link", name="All speakers")).to_have_attribute("href", "/speakers/")
    # Each tag is offered by name with its number of releases: "Name (12)".
    assert re.fullmatch(r".+ \(\d+\)", tags.first.text_content())
    for box in (tag_box, speaker_box, form.get_by_label("From"), form.get_by_label("To")):
        box_right = box.bounding_box()["x"] + box.bounding_box()["width"]
        assert box_right <= PHONE["width"], "every field fits the screen"
    expect(form.locator("label[for=id_date_after]")).to_contain_text("YYYY-MM-DD")
    expect(form.locator("label[for=id_date_before]")).to_contain_text("YYYY-MM-DD")

    # Choose the second tag and the first speaker offered, as the lists would on a tap.
    tag_slug = tags.nth(1).get_attribute("value")
    speaker_slug = speakers.first.get_attribute("value")
    tag_box.fill(tag_slug)
    form.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".active-filters .chip")).to_have_count(1)
    speaker_box.fill(speaker_slug)
    form.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".active-filters .chip")).to_have_count(2)
    assert f"tag={tag_slug}" in page.url and f"speaker={speaker_slug}" in page.url
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDER_THAN_VIEWPORT)


def test_on_a_phone_results_come_first_and_filters_unfold(open_session):
    page = open_session(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto("/releases/")
    assert page.locator(".card").first.bounding_box()["y"] < PHONE["height"] / 2
    form = page.get_by_role("search", name="Filter")
    expect(form).to_be_hidden()

    toggle = page.locator("summary.filter-panel__toggle")
    expect(toggle).to_have_text("Filters")
    toggle.tap()
    form.get_by_label("Add a tag").fill("ukraine")
    form.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".active-filters .chip")).to_have_text(["Tag: Ukraine ×"])
    expect(toggle).to_have_text("Filters (1 active)")
    expect(form).to_be_hidden()

    # Turned to landscape, the filters sit beside the results again, open.
    page.set_viewport_size({"width": 900, "height": 420})
    expect(form).to_be_visible()
    expect(toggle).to_be_hidden()


# Navigation, search, filters, related links, paragraph tools and the footer stay off paper.
PAGE_FURNITURE = [
    "Skip to content",
    "Search releases",
    "Speeches Speakers Events",
    "Related",
    "Copy quote",
    "Link to paragraph",
    "Times are shown in",
]


def printed_text(page) -> str:
    """The page as Chromium prints it (A4 PDF), as plain text."""
    pdf = page.pdf(format="A4")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(sheet.extract_text() for sheet in reader.pages)
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (
            "/releases/secretary-general-launches-annual-report-2023/",
            ["NATO Secretary General launches his Annual Report for 2023", "Published",
             "14 March 2024", "Last updated", "Quoted", "Jens Stoltenberg"],
        ),
        (
            "/speeches/press-conference-ahead-of-defence-ministers-february-2021/",
            ["Delivered", "15 February 2021", "Last updated", "Jens Stoltenberg",
             "NATO Secretary General", "As delivered", "NATO Headquarters, Brussels"],
        ),
    ],
)  # fmt: skip
def test_release_and_speech_print_cleanly(page, address, expected):
    page.goto(address)
    text = printed_text(page)
    assert page.url in text, "the printed page says where it came from"
    for wanted in expected:  # some labels print in capitals (text-transform)
        assert wanted.casefold() in text.casefold(), f"{wanted!r} missing from the printed page"
    for furniture in PAGE_FURNITURE:
        assert furniture not in text, f"{furniture!r} printed"
