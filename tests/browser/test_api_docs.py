"""The API's documentation page works in a browser under the site's strict CSP: Swagger UI
from the project's own static files renders every endpoint and answers a try-out."""

import pytest

pytestmark = pytest.mark.browser


def test_api_docs_render_under_the_csp_and_try_a_request(page, screenshots_dir):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".opblock-tag")
    groups = page.locator(".opblock-tag").all_inner_texts()
    assert [group.split("\n")[0] for group in groups] == [
        "events", "releases", "speakers", "speeches", "tags"
    ]  # fmt: skip
    page.get_by_text("/api/v1/releases/", exact=True).first.click()
    parameters = page.locator(".parameters").first
    parameters.wait_for()
    for example in ("sweden", "jens-stoltenberg", "2024-03-01", "annual report"):
        assert example in parameters.inner_text(), example  # each filter's example
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    answer = page.locator(".live-responses-table tbody .response-col_status").first
    answer.wait_for()
    assert answer.inner_text().strip() == "200"
    assert "application/json" in page.locator(".live-responses-table tbody").first.inner_text()
    page.screenshot(path=screenshots_dir / "api-docs.png")
    # Nothing refused by the Content-Security-Policy, no script error (a missing favicon is
    # the browser's own request, not the page's).
    assert not [p for p in problems if "favicon" not in p and "404" not in p], problems
