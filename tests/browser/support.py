"""Helpers shared by the browser tests: data, keyboard focus, axe-core."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import expect

from articles.models import Speaker
from tests.factories import make_release

# axe-core, vendored with its MPL-2.0 licence header (tests/browser/vendor/).
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"

# The seed archive's Sweden release is tagged "Sweden" and quotes Jens Stoltenberg.
SWEDEN_RELEASE = (
    "Sweden attends first North Atlantic Council meeting as an Ally, "
    "in discussion devoted to NATO-EU cooperation"
)
EXTRA_RELEASES = 45  # with the seed's one: 46 matches, three pages of 20


def add_sweden_briefings(count: int = EXTRA_RELEASES) -> None:
    """Public releases tagged Sweden quoting Stoltenberg, 1–11 March 2024: the seed has one
    such release, too few to page through, so the filter journey gets these as well."""
    stoltenberg = Speaker.objects.get(slug="jens-stoltenberg")
    first = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    for n in range(count):
        make_release(
            title=f"Sweden briefing {n + 1:02d}",
            slug=f"sweden-briefing-{n + 1:02d}",
            summary=f"Briefing number {n + 1} on Sweden's first weeks as an Ally.",
            published_at=first + timedelta(hours=5 * n),
            tags=["Sweden"],
            speakers=[stoltenberg],
        )


FOCUS_STYLE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    text: (element.getAttribute('aria-label') || element.innerText || element.value || '').trim(),
    id: element.id,
    href: element.getAttribute('href'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
  };
}"""


def focused(page) -> dict | None:
    """What has keyboard focus, and whether it shows a focus indicator."""
    return page.evaluate(FOCUS_STYLE)


def assert_focus_visible(page) -> dict:
    state = focused(page)
    assert state is not None, "focus was lost to the page body"
    assert state["outline"] or state["shadow"], f"no visible focus indicator on {state}"
    return state


def tab_to(page, matches, *, limit: int = 120, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until `matches(focus_state)`; every stop shows its focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        state = assert_focus_visible(page)
        if matches(state):
            return state
    raise AssertionError(f"{limit} presses of {key} never reached the wanted element")


def link_named(text: str):
    return lambda state: state["tag"] == "a" and text in state["text"]


def element_with_id(element_id: str):
    return lambda state: state["id"] == element_id


def run_axe(page) -> list[dict]:
    """axe-core's violations on the current page (WCAG 2.0–2.2 A and AA, best practices)."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        """async () => {
          const result = await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'wcag22aa', 'best-practice']},
          });
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
          }));
        }"""
    )
    return result


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node}" for node in violation["nodes"])
    return "\n".join(lines)


def admin_log_in(page, username: str, password: str) -> None:
    """Sign in to the admin on `page`, as a person does, and wait for the welcome."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Welcome, {username}", exact=False)).to_be_visible()
