"""axe-core finds no WCAG 2.2 A/AA (or best-practice) violation on any page type."""

import pytest

from tests.browser.support import add_sweden_briefings, admin_log_in, describe, run_axe

pytestmark = pytest.mark.browser

# Every public page type, with and without filters; (address, expected status).
PUBLIC_PAGES = [
    ("/", 200),
    ("/releases/", 200),
    ("/releases/?tag=sweden&speaker=jens-stoltenberg&date_after=2024-03-01&page=2", 200),
    ("/releases/?speaker=nobody-by-that-name", 200),
    ("/releases/no-business-like-snow-business/", 200),
    ("/releases/secretary-generals-annual-report-2023/", 200),
    ("/speeches/", 200),
    ("/speeches/?tag=enlargement&kind=remarks", 200),
    ("/speeches/joint-press-conference-with-president-duda-2024/", 200),
    ("/speeches/press-conference-ahead-of-defence-ministers-february-2021/", 200),
    ("/speakers/", 200),
    ("/speakers/jens-stoltenberg/", 200),
    ("/events/", 200),
    ("/events/annual-report-2023-launch/", 200),
    ("/tags/", 200),
    ("/tags/enlargement/", 200),
    ("/archive/", 200),
    ("/archive/2024/", 200),
    ("/search/", 200),
    ("/search/?q=Sweden", 200),
    ("/search/?q=zebra+crossing", 200),
    ("/releases/?date_after=bad", 400),
    ("/releases/no-such-release/", 404),
]


def test_public_pages_have_no_accessibility_violations(open_session):
    add_sweden_briefings()  # so that a filtered list has pages
    page = open_session(bypass_csp=True).new_page()  # axe is injected as a script
    found = {}
    for address, status in PUBLIC_PAGES:
        response = page.goto(address)
        assert response.status == status, address
        violations = run_axe(page)
        if violations:
            found[address] = describe(violations)
    assert not found, "\n\n".join(f"{address}\n{report}" for address, report in found.items())


# On a phone the filters are folded under a toggle and a transcript's paragraph tools
# (link, copy) show after each paragraph, in full colour.
PHONE_PAGES = [
    "/releases/?tag=sweden",
    "/speeches/joint-press-conference-with-president-duda-2024/",
    "/search/?q=Sweden",
]


def test_phone_layouts_have_no_accessibility_violations(open_session):
    phone = open_session(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page = phone.new_page()
    found = {}
    for address in PHONE_PAGES:
        page.goto(address)
        violations = run_axe(page)
        if violations:
            found[address] = describe(violations)
    assert not found, "\n\n".join(f"{address}\n{report}" for address, report in found.items())


def test_admin_release_change_form_has_no_accessibility_violations(open_session, admin_user):
    from articles.models import Release

    release = Release.objects.get(slug="secretary-general-launches-annual-report-2023")
    page = open_session(bypass_csp=True).new_page()
    admin_log_in(page, admin_user.username, "password")
    page.goto(f"/admin/articles/release/{release.pk}/change/")
    page.locator(".prose-editor [contenteditable=true]").wait_for()
    violations = run_axe(page)
    assert not violations, describe(violations)
