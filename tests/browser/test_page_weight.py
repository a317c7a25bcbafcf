"""Pages are light: nothing is fetched from elsewhere, no web fonts, a release under 100 KB."""

import json

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

RELEASE = "/releases/secretary-general-launches-annual-report-2023/"
PAGE_TYPES = {
    "home": "/",
    "release list": "/releases/",
    "release list, filtered": "/releases/?tag=ukraine&speaker=jens-stoltenberg",
    "release": RELEASE,
    "publication with figures": "/releases/secretary-generals-annual-report-2023/",
    "speech list": "/speeches/",
    "speech": "/speeches/joint-press-conference-with-president-duda-2024/",
    "speaker list": "/speakers/",
    "speaker": "/speakers/jens-stoltenberg/",
    "event list": "/events/",
    "event": "/events/annual-report-2023-launch/",
    "topic list": "/tags/",
    "topic": "/tags/ukraine/",
    "search": "/search/?q=Sweden",
    "archive": "/archive/",
}
RELEASE_BUDGET = 100 * 1024  # bytes, uncompressed, images excluded

# Everything the page loaded, by the browser's own account: bytes after decompression.
WEIGHT = """() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const isImage = entry => entry.initiatorType === 'img'
    || /\\.(png|jpe?g|gif|webp|avif|svg|ico)(\\?|$)/.test(entry.name);
  const counted = resources.filter(entry => !isImage(entry));
  return {
    document: navigation.decodedBodySize,
    resources: counted.map(entry => [new URL(entry.name).pathname, entry.decodedBodySize]),
    total: navigation.decodedBodySize
      + counted.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
    fontFaces: document.fonts.size,
  };
}"""


def test_pages_fetch_nothing_from_elsewhere_use_no_web_fonts_and_stay_light(session):
    page = session.new_page()
    fonts = []
    page.on("request", lambda request: request.resource_type == "font" and fonts.append(request))
    weights = {}
    for name, address in PAGE_TYPES.items():
        assert page.goto(address).status == 200, address
        page.wait_for_load_state("load")
        weights[name] = {"address": address, **page.evaluate(WEIGHT)}
        assert weights[name]["fontFaces"] == 0, f"{address} declares web fonts"

    assert session.foreign_requests() == []
    assert fonts == [], "no font files are fetched: system fonts only, so no layout shift"
    assert weights["release"]["total"] < RELEASE_BUDGET, weights["release"]

    # For people: each page type's weight, kept with the screenshots (not committed).
    ARTIFACTS.mkdir(exist_ok=True)
    report = {name: {key: value for key, value in data.items() if key != "fontFaces"}
              for name, data in weights.items()}  # fmt: skip
    (ARTIFACTS / "page-weights.json").write_text(json.dumps(report, indent=2))
