"""A reader on a phone reads the newsroom in French: the language switch, the French
lists and search, and the notice on a translation whose English source changed since."""

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.cache import bump_content_version
from articles.models import SpeakerVersion
from tests.browser.support import describe, run_axe
from tests.factories import make_release, make_speaker, make_speech

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
# Looked at by people after a run, like artifacts/ (not in the repository).
SHOTS = Path("/tmp/french-shots")

ENGLISH_TITLE = "Allies agree new air policing rotation for the Baltic states"
FRENCH_TITLE = "Les Alliés conviennent d’une nouvelle rotation de police du ciel balte"
UNTRANSLATED_TITLE = "Secretary General meets students at the headquarters"
FRENCH_SPEECH_TITLE = "Discours du Secrétaire général devant l’Assemblée parlementaire"


def add_french_items() -> dict:
    """An English release and its public French translation, a French speech, and an
    English release with no French version: the seed archive is all in English."""
    published = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    key = uuid.uuid4()
    english = make_release(
        title=ENGLISH_TITLE,
        slug="allies-agree-baltic-air-policing-rotation",
        summary="Fighter jets from four Allies will take turns guarding Baltic airspace.",
        body="<p>Fighter jets from four Allies will take turns guarding Baltic airspace.</p>",
        published_at=published,
        translation_key=key,
    )
    french = make_release(
        title=FRENCH_TITLE,
        slug="rotation-police-du-ciel-balte",
        summary="Des avions de chasse de quatre Alliés se relaieront dans le ciel balte.",
        body="<p>Des avions de chasse de quatre Alliés se relaieront dans le ciel balte.</p>",
        published_at=published + timedelta(hours=1),
        language="fr",
        translation_key=key,
    )
    untranslated = make_release(
        title=UNTRANSLATED_TITLE,
        slug="secretary-general-meets-students",
        published_at=published - timedelta(days=1),
    )
    speech = make_speech(
        title=FRENCH_SPEECH_TITLE,
        slug="discours-assemblee-parlementaire",
        body="<p>Mesdames et Messieurs, la sécurité euro-atlantique est indivisible.</p>",
        published_at=published - timedelta(hours=2),
        language="fr",
    )
    return {"english": english, "french": french, "untranslated": untranslated, "speech": speech}


def assert_no_violations(page) -> None:
    assert page.evaluate("document.documentElement.lang") == "fr", page.url
    violations = run_axe(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def test_reader_reads_the_newsroom_in_french_on_a_phone(open_session):
    items = add_french_items()
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = open_session(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = phone.new_page()
    switch = page.get_by_role("navigation", name=re.compile("^(Languages|Langues)$"))

    # From the English release, the switch leads to its French version.
    page.goto(items["english"].get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH_TITLE)
    expect(page.locator('link[rel=alternate][hreflang="fr"]')).to_have_count(1)
    switch.get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/releases/rotation-police-du-ciel-balte/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(FRENCH_TITLE)
    main_nav = page.get_by_role("navigation", name="Menu principal")
    expect(main_nav.get_by_role("link", name="Communiqués")).to_be_visible()
    expect(main_nav.get_by_role("link", name="Discours")).to_be_visible()
    expect(page.locator(".article__meta dt").first).to_have_text(re.compile(r"^Publié"))
    expect(page.locator(".translation-notice")).to_have_count(0)  # not stale yet
    assert_no_violations(page)

    # …and back to the English one.
    english_link = switch.get_by_role("link", name="English")
    expect(english_link).to_have_attribute("hreflang", "en")
    expect(english_link).to_have_attribute("lang", "en")
    english_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH_TITLE)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # A release with no French version: the switch goes to the French home, and says so.
    page.goto(items["untranslated"].get_absolute_url())
    expect(switch.locator(".language-switch__note")).to_have_text(
        "(home page: this page has no French version)"
    )
    switch.locator('a[hreflang="fr"]').screenshot(
        path=str(SHOTS / "switch-english-untranslated.png")
    )
    page.locator(".site-header").screenshot(path=str(SHOTS / "header-english-untranslated.png"))
    expect(page.locator('link[rel=alternate][hreflang="fr"]')).to_have_count(0)
    switch.get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Derniers communiqués et actualités")).to_be_visible()
    expect(page.get_by_role("link", name=FRENCH_TITLE)).to_be_visible()
    expect(page.get_by_role("link", name=ENGLISH_TITLE)).to_have_count(0)
    page.screenshot(path=str(SHOTS / "home-fr.png"), full_page=True)
    page.locator(".site-header").screenshot(path=str(SHOTS / "header-fr.png"))
    assert_no_violations(page)

    # The French release list holds the French releases alone.
    main_nav.get_by_role("link", name="Communiqués").click()
    expect(page).to_have_url(re.compile(r"/fr/releases/$"))
    expect(page.locator(".card__title")).to_have_text([FRENCH_TITLE])
    expect(page.locator(".count")).to_have_text("1 communiqué")
    page.screenshot(path=str(SHOTS / "releases-fr.png"), full_page=True)
    # The filters are folded on a phone; the reader unfolds them (folded, the list has
    # a heading-order fault of its own: test_folded_filters_keep_the_heading_order).
    page.locator(".filter-panel__toggle").click()
    expect(page.get_by_role("heading", name="Filtrer")).to_be_visible()
    assert_no_violations(page)

    # A search in French finds the French speech, not English items.
    search = page.get_by_role("search", name="Tout le site")
    search.get_by_role("searchbox").fill("sécurité indivisible")
    search.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/fr/search/\?q="))
    expect(page.locator(".count")).to_contain_text("1 résultat pour")
    expect(page.get_by_role("link", name=FRENCH_SPEECH_TITLE)).to_be_visible()
    assert_no_violations(page)
    page.get_by_role("link", name=FRENCH_SPEECH_TITLE).click()
    expect(page).to_have_url(re.compile(r"/fr/speeches/discours-assemblee-parlementaire/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_no_violations(page)

    # The English release gets a substantive update: the French one says it is behind.
    english, french = items["english"], items["french"]
    french.refresh_from_db()
    revised = french.updated_at + timedelta(minutes=5)
    type(english).objects.filter(pk=english.pk).update(revised_at=revised)
    bump_content_version()  # as an editor's save does: the cached French page is stale
    page.goto(french.get_absolute_url())
    notice = page.get_by_role("note").filter(has_text="La version en anglais")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("a été mise à jour le")
    source_link = notice.get_by_role("link", name="lire la version en anglais")
    expect(source_link).to_have_attribute("hreflang", "en")
    page.screenshot(path=str(SHOTS / "release-fr-stale.png"), full_page=True)
    notice.screenshot(path=str(SHOTS / "notice-fr.png"))
    page.locator(".site-header").screenshot(path=str(SHOTS / "header-fr-release.png"))
    assert_no_violations(page)
    source_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH_TITLE)


def test_folded_filters_keep_the_heading_order(open_session):
    add_french_items()
    phone = open_session(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = phone.new_page()
    page.goto("/fr/releases/")
    expect(page.locator(".filter-panel")).not_to_have_attribute("open", "")
    assert_no_violations(page)


def test_reader_meets_speakers_in_french_and_in_english(open_session):
    """A speaker with a published French version reads in French; one without reads in
    English, marked lang="en" (axe checks the page with both)."""
    translated = make_speaker(name="Mark Rutte", slug="mark-rutte", role="NATO Secretary General")
    SpeakerVersion.objects.create(speaker=translated, language="fr", name="Mark Rutte",
                                  role="Secrétaire général de l’OTAN", published=True)  # fmt: skip
    untranslated = make_speaker(
        name="Ruben Brekelmans", slug="ruben-brekelmans", role="Minister of Defence"
    )
    make_speech(title=FRENCH_SPEECH_TITLE, slug="discours-assemblee-parlementaire",
                language="fr", speakers=[translated, untranslated])  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = open_session(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = phone.new_page()

    page.goto("/fr/speakers/")
    expect(page.get_by_text("Secrétaire général de l’OTAN")).to_be_visible()
    untranslated_role = page.locator('.person__role[lang="en"]', has_text="Minister of Defence")
    expect(untranslated_role).to_have_count(1)
    expect(page.locator(".person__role", has_text="Secrétaire général")).not_to_have_attribute(
        "lang", "en"
    )
    page.screenshot(path=str(SHOTS / "speakers-fr.png"), full_page=True)
    assert_no_violations(page)

    page.locator('a[href="/fr/speakers/mark-rutte/"]').click()
    expect(page).to_have_url(re.compile(r"/fr/speakers/mark-rutte/$"))
    expect(page.locator(".profile__role")).to_have_text("Secrétaire général de l’OTAN")
    assert_no_violations(page)

    page.goto("/fr/speeches/discours-assemblee-parlementaire/")
    roles = page.locator(".speaker-roles li")
    expect(roles).to_have_count(2)
    expect(roles.nth(0)).to_contain_text("Secrétaire général de l’OTAN")
    expect(roles.nth(1)).to_have_attribute("lang", "en")
    page.screenshot(path=str(SHOTS / "speech-fr-speakers.png"), full_page=True)
    assert_no_violations(page)
