"""A reader finds releases by filtering, paging and searching, with a mouse and by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    SWEDEN_RELEASE,
    add_sweden_briefings,
    assert_focus_visible,
    element_with_id,
    focused,
    link_named,
    tab_to,
)

pytestmark = pytest.mark.browser


def expect_chips(page, *labels: str) -> None:
    """The active filters shown, each with its clear (×) link, waiting for the page."""
    expect(page.locator(".active-filters .chip")).to_have_text([f"{label} ×" for label in labels])


def test_reader_filters_pages_and_follows_links(page):
    add_sweden_briefings()

    page.goto("/")
    expect(page.get_by_role("heading", name="Latest releases and news")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Releases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Press releases and news")

    filters = page.get_by_role("search", name="Filter")
    filters.get_by_label("Add a tag").fill("sweden")
    filters.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]tag=sweden"))
    expect_chips(page, "Tag: Sweden")

    filters.get_by_label("Speaker").fill("jens-stoltenberg")
    filters.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"speaker=jens-stoltenberg"))
    expect_chips(page, "Tag: Sweden", "Speaker: Jens Stoltenberg")

    filters.get_by_label("From").fill("2024-03-01")
    filters.get_by_label("To").fill("2024-03-31")
    filters.get_by_role("button", name="Apply filters").click()
    expect_chips(
        page, "Tag: Sweden", "Speaker: Jens Stoltenberg", "From: 1 Mar 2024", "To: 31 Mar 2024"
    )
    expect(page.locator(".count")).to_have_text("46 releases match the filters · page 1 of 3")

    page.get_by_role("link", name="Remove filter To: 31 Mar 2024").click()
    assert "date_before" not in page.url
    expect_chips(page, "Tag: Sweden", "Speaker: Jens Stoltenberg", "From: 1 Mar 2024")
    first_page_titles = page.locator(".card__title").all_inner_texts()
    assert first_page_titles[0] == SWEDEN_RELEASE

    pages = page.get_by_role("navigation", name="Pages")
    pages.get_by_role("link", name="Older items").click()
    expect(page.locator(".count")).to_have_text("46 releases match the filters · page 2 of 3")
    assert re.search(r"page=2", page.url)
    expect(page.locator(".active-filters .chip")).to_have_count(3)  # paging kept them
    assert not set(page.locator(".card__title").all_inner_texts()) & set(first_page_titles)

    pages.get_by_role("link", name="Newer items").click()
    expect(page.locator(".count")).to_have_text("46 releases match the filters · page 1 of 3")
    expect(page.locator(".active-filters .chip")).to_have_count(3)
    assert page.locator(".card__title").all_inner_texts() == first_page_titles

    page.get_by_role("link", name=SWEDEN_RELEASE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SWEDEN_RELEASE)
    page.locator(".article__meta").get_by_role("link", name="Jens Stoltenberg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jens Stoltenberg")
    expect(page.get_by_text("NATO Secretary General").first).to_be_visible()

    page.go_back()
    page.get_by_role("region", name="Topics").get_by_role("link", name="Sweden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Press releases and news")
    expect_chips(page, "Tag: Sweden")


def test_reader_searches_for_a_phrase_and_reaches_the_document(page):
    page.goto("/")
    search = page.get_by_role("search", name="Site")
    search.get_by_role("searchbox").fill("“trial by ice”")
    search.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.locator(".count")).to_contain_text("1 result for")
    page.get_by_role("link", name=re.compile("no business like snow business")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("no business like snow business")
    expect(page.locator(".prose")).to_contain_text(
        "is a trial by ice, designed to help the marines"
    )


def test_reader_does_the_filter_journey_with_the_keyboard_alone(page):
    add_sweden_briefings()
    page.goto("/")

    page.keyboard.press("Tab")
    state = assert_focus_visible(page)
    assert state["text"] == "Skip to content", "the skip link comes first"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Back up from the content to the main navigation, then to the release list.
    tab_to(page, link_named("Releases"), backwards=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Press releases and news")

    tab_to(page, element_with_id("id_tag"))
    page.keyboard.type("sweden")
    tab_to(page, lambda state: state["tag"] == "button" and state["text"] == "Apply filters")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"tag=sweden"))

    tab_to(page, element_with_id("id_speaker"))
    page.keyboard.type("jens-stoltenberg")
    page.keyboard.press("Enter")  # Enter in a field submits the form
    expect(page).to_have_url(re.compile(r"speaker=jens-stoltenberg"))

    tab_to(page, element_with_id("id_date_after"))
    # A text box in the form its label names (not the browser's mm/dd/yyyy date control).
    page.keyboard.type("2024-03-01")
    expect(page.locator("#id_date_after")).to_have_value("2024-03-01")
    tab_to(page, element_with_id("id_date_before"))
    page.keyboard.type("2024-03-31")
    expect(page.locator("#id_date_before")).to_have_value("2024-03-31")
    page.keyboard.press("Enter")
    expect(page.locator(".count")).to_have_text("46 releases match the filters · page 1 of 3")
    expect(page.locator(".active-filters .chip")).to_have_count(4)

    tab_to(page, lambda state: "Remove filter To" in state["text"])
    page.keyboard.press("Enter")
    expect(page.locator(".active-filters .chip")).to_have_count(3)

    tab_to(page, link_named("Older"))
    page.keyboard.press("Enter")
    expect(page.locator(".count")).to_have_text("46 releases match the filters · page 2 of 3")
    tab_to(page, link_named("Newer"))
    page.keyboard.press("Enter")
    expect(page.locator(".count")).to_have_text("46 releases match the filters · page 1 of 3")
    expect(page.locator(".active-filters .chip")).to_have_count(3)

    tab_to(page, link_named(SWEDEN_RELEASE))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(SWEDEN_RELEASE)
    tab_to(page, link_named("Jens Stoltenberg"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jens Stoltenberg")

    # Back to the release from the speaker's page, then on to its topic.
    tab_to(page, link_named(SWEDEN_RELEASE))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(SWEDEN_RELEASE)
    tab_to(page, lambda state: state["tag"] == "a" and state["text"] == "Sweden")
    page.keyboard.press("Enter")
    expect_chips(page, "Tag: Sweden")


def test_tab_order_follows_the_page_and_never_traps_focus(page):
    """Tabbing from the top visits every focusable element once, in document order,
    then leaves the page: nothing holds the keyboard."""
    add_sweden_briefings()
    page.goto("/releases/?tag=sweden&speaker=jens-stoltenberg")
    expected = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select')]
              .filter(el => !el.disabled && el.getClientRects().length > 0)
              .map(el => el.id || el.getAttribute('href') || el.innerText.trim())"""
    )
    visited = []
    for _ in range(2 * len(expected) + 20):
        page.keyboard.press("Tab")
        state = focused(page)
        if state is None:  # past the last element, focus leaves the page
            break
        assert state["outline"] or state["shadow"], f"no visible focus on {state}"
        visited.append(state["id"] or state["href"] or state["text"])
    else:
        raise AssertionError("focus never left the page")
    # Date controls take one Tab per part (day, month, year) in Chromium.
    deduplicated = [key for i, key in enumerate(visited) if i == 0 or key != visited[i - 1]]
    assert deduplicated == expected
