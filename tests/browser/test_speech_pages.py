"""Speech pages serve journalists: who, where, when; link to a paragraph; copy a quotation."""

from datetime import time

import pytest
from django.template import Context, Template
from playwright.sync_api import expect

from articles.models import Speech

DUDA = "/speeches/joint-press-conference-with-president-duda-2024/"
DUDA_TITLE = (
    "Joint press conference by NATO Secretary General Jens Stoltenberg "
    "with the President of Poland Andrzej Duda"
)
THIRD_PARAGRAPH = "This week, we mark the 25th anniversary of Poland’s accession into NATO."


def render(body: str) -> str:
    return Template("{% load articles_tags %}{{ body|paragraph_anchors }}").render(
        Context({"body": body})
    )


def test_paragraph_anchors_number_top_level_paragraphs_only():
    html = render(
        "<p>One &amp; “two”<br>three</p><blockquote><p>Quoted</p></blockquote>"
        "<ul><li><p>Item</p></li></ul><p>Four</p>"
    )
    assert html.startswith('<p id="p-1">One &amp; “two”<br>three<span class="para-tools">')
    assert '<a class="para-link" href="#p-2" aria-label="Link to paragraph 2"></a>' in html
    assert "<blockquote><p>Quoted</p></blockquote><ul><li><p>Item</p></li></ul>" in html
    assert 'id="p-3"' not in html


def test_paragraph_anchors_never_trust_their_input():
    html = render('<p onclick="steal()">Hi<script>alert(1)</script></p><img src=x onerror=y>')
    assert "onclick" not in html and "<script" not in html and "onerror" not in html
    assert html.startswith('<p id="p-1">Hi')


@pytest.mark.browser
def test_speech_page_names_speakers_place_time_status_and_event(page):
    speech = Speech.objects.get(slug="joint-press-conference-with-president-duda-2024")
    Speech.objects.filter(pk=speech.pk).update(
        delivered_time=time(17, 0), delivery_status=Speech.Delivery.CHECK_AGAINST_DELIVERY
    )
    page.goto(DUDA)
    meta = page.locator(".article__meta")
    expect(meta).to_contain_text("Jens Stoltenberg, NATO Secretary General")
    expect(meta).to_contain_text("Andrzej Duda, President of Poland")
    expect(meta).to_contain_text("14 March 2024, 17:00 (Europe/Brussels)")
    expect(meta.locator("time")).to_have_attribute("datetime", "2024-03-14T17:00:00+01:00")
    expect(meta).to_contain_text("NATO Headquarters, Brussels")
    expect(meta.get_by_role("link", name="Visit of the President of Poland")).to_be_visible()
    expect(page.locator(".article__kind")).to_contain_text("Check against delivery")


@pytest.mark.browser
def test_reader_links_to_a_paragraph(page):
    page.goto(DUDA)
    third = page.locator(".prose > p#p-3")
    expect(third).to_contain_text(THIRD_PARAGRAPH)
    link = third.get_by_role("link", name="Link to paragraph 3", exact=True)
    expect(link).to_have_attribute("href", "#p-3")

    # On a wide screen the tools wait in the margin until pointed at or focused.
    assert link.evaluate("el => getComputedStyle(el.parentElement).opacity") == "0"
    link.focus()
    assert link.evaluate("el => getComputedStyle(el.parentElement).opacity") == "1"
    box = link.bounding_box()
    assert 0 < box["x"] + box["width"] <= 1280, "the focused link is on screen"

    page.goto(f"{DUDA}#p-3")
    assert page.evaluate("document.querySelector(':target').id") == "p-3"
    expect(third).to_be_in_viewport()


@pytest.mark.browser
def test_reader_copies_a_quotation_with_attribution_and_link(open_session, site):
    session = open_session(permissions=["clipboard-read", "clipboard-write"])
    page = session.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(DUDA)
    page.locator("#p-3").hover()
    page.get_by_role("button", name="Copy quote from paragraph 3", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="copied")).to_have_text(
        "Paragraph 3 copied as a quotation, with its source."
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (
        f"“{THIRD_PARAGRAPH}” — Jens Stoltenberg, NATO Secretary General, {DUDA_TITLE}, "
        f"14 March 2024, {site}{DUDA}#p-3"
    )
    # Line breaks inside a paragraph become spaces; the tools are not part of the quote.
    page.locator("#p-2").hover()
    page.get_by_role("button", name="Copy quote from paragraph 2", exact=True).click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(
        "“It’s great to see you again. Welcome back to NATO Headquarters. "
        "It is always a pleasure to have you here.” — Jens Stoltenberg"
    )
    assert not [text for text in console if "Content Security Policy" in text], console


@pytest.mark.browser
def test_speech_page_works_without_javascript_and_has_no_inline_script(open_session):
    page = open_session(java_script_enabled=False).new_page()
    page.goto(DUDA)
    expect(page.locator(".prose > p[id^='p-']").first).to_have_attribute("id", "p-1")
    expect(page.get_by_role("link", name="Link to paragraph 3", exact=True)).to_have_count(1)
    expect(page.locator(".quote-copy")).to_have_count(0)
    scripts = page.locator("script").evaluate_all(
        "all => all.map(s => s.src ? 'src:' + new URL(s.src).pathname : s.type)"
    )
    assert sorted(scripts) == ["application/ld+json", "src:/static/js/quote.js"]  # JSON-LD: data

    page.goto("/releases/no-business-like-snow-business/")
    assert page.locator("script[src]").count() == 0, "quote.js is for speech pages only"
