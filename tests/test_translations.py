"""Translations as linked items (issue 19): each language's version is an item of its
own under the one public rule, read at its own address (French under /fr/), announced by
`hreflang`, the language switch and the sitemap only while public, and flagged when its
English source was updated for readers after it."""

import json
import re
import uuid
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Release, Speech
from articles.querysets import Status, detail_rows
from tests.factories import make_release, make_speech
from tests.support import requires_postgres

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


@pytest.fixture
def pair():
    """A public English release and its public French translation."""
    key = uuid.uuid4()
    english = make_release(title="Allies agree on Arctic plan", slug="arctic-plan",
                           translation_key=key, tags=["Arctic"])  # fmt: skip
    french = make_release(title="Les Alliés adoptent un plan pour l'Arctique",
                          slug="plan-arctique", language="fr", translation_key=key,
                          tags=["Arctic"])  # fmt: skip
    return english, french


def alternates(body: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', body))


def test_each_version_at_its_own_address(client, pair):
    english, french = pair
    assert english.get_absolute_url() == "/releases/arctic-plan/"
    assert french.get_absolute_url() == "/fr/releases/plan-arctique/"
    page = client.get("/fr/releases/plan-arctique/")
    assert page.status_code == HTTPStatus.OK
    assert '<html lang="fr">' in page.content.decode()
    assert '<html lang="en">' in client.get("/releases/arctic-plan/").content.decode()
    for url, language in (("/fr/releases/plan-arctique/", "fr"), ("/releases/arctic-plan/", "en")):
        script = client.get(url).content.decode().split('<script type="application/ld+json">')[1]
        assert json.loads(script.split("</script>", 1)[0])["inLanguage"] == language, url


def test_a_slug_read_in_the_other_language_redirects_to_its_own_address(client, pair):
    response = client.get("/fr/releases/arctic-plan/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/releases/arctic-plan/"
    response = client.get("/releases/plan-arctique/")
    assert response["Location"] == "/fr/releases/plan-arctique/"


def test_lists_feeds_and_search_show_one_language(client, pair):
    english, french = pair
    for url in ("/releases/", "/feeds/releases/", "/search/?q=Arctic", "/tags/arctic/", "/"):
        body = client.get(url).content.decode()
        assert english.title in body and french.title.replace("'", "&#x27;") not in body, url
    for url in ("/fr/releases/", "/fr/feeds/releases/", "/fr/search/?q=Arctique",
                "/fr/tags/arctic/", "/fr/"):  # fmt: skip
        body = client.get(url).content.decode()
        assert "Arctique" in body and english.title not in body, url


def test_hreflang_lists_every_public_version_itself_included(client, pair, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    for url in ("/releases/arctic-plan/", "/fr/releases/plan-arctique/"):
        found = alternates(client.get(url).content.decode())
        assert found == {
            "en": "https://news.example.org/releases/arctic-plan/",
            "fr": "https://news.example.org/fr/releases/plan-arctique/",
            "x-default": "https://news.example.org/releases/arctic-plan/",
        }, url


def test_an_embargoed_translation_is_announced_nowhere_until_its_time(
    client, pair, time_machine, uncached_pages
):
    english, french = pair
    lift = timezone.now() + timedelta(hours=3)
    Release.objects.filter(pk=french.pk).update(published_at=lift)
    body = client.get("/releases/arctic-plan/").content.decode()
    assert "plan-arctique" not in body and alternates(body) == {}
    # The switch offers the French home page instead, and says so.
    assert 'href="/fr/" hreflang="fr"' in body and "has no French version" in body
    assert client.get("/fr/releases/plan-arctique/").status_code == HTTPStatus.NOT_FOUND
    assert "plan-arctique" not in client.get("/sitemap-releases.xml").content.decode()
    assert "Arctique" not in client.get("/fr/releases/").content.decode()
    time_machine.move_to(lift + timedelta(minutes=1))
    body = client.get("/releases/arctic-plan/").content.decode()
    assert 'href="/fr/releases/plan-arctique/"' in body and "fr" in alternates(body)
    assert client.get("/fr/releases/plan-arctique/").status_code == HTTPStatus.OK


def test_the_language_switch_links_the_translation(client, pair):
    body = client.get("/releases/arctic-plan/").content.decode()
    switch = re.search(r'<nav class="language-switch".*?</nav>', body, re.S).group(0)
    assert 'href="/fr/releases/plan-arctique/" hreflang="fr" lang="fr">Français</a>' in switch
    body = client.get("/fr/releases/plan-arctique/").content.decode()
    switch = re.search(r'<nav class="language-switch".*?</nav>', body, re.S).group(0)
    assert 'href="/releases/arctic-plan/" hreflang="en" lang="en">English</a>' in switch
    # Any other page: the same page in the other language, filters kept.
    body = client.get("/releases/?tag=arctic").content.decode()
    assert 'href="/fr/releases/?tag=arctic"' in body


def test_a_translation_behind_its_source_says_so(client, pair, uncached_pages):
    english, french = pair
    page = client.get("/fr/releases/plan-arctique/").content.decode()
    assert "translation-notice" not in page
    # The English version gets an update with its public note after the translation.
    now = timezone.now()
    Release.objects.filter(pk=french.pk).update(updated_at=now - timedelta(days=2))
    Release.objects.filter(pk=english.pk).update(revised_at=now - timedelta(days=1))
    page = client.get("/fr/releases/plan-arctique/").content.decode()
    assert "translation-notice" in page
    assert "La version en anglais a été mise à jour le" in page
    assert 'href="/releases/arctic-plan/" hreflang="en"' in page
    # The translator brings it up to date: saving it clears the flag.
    french.refresh_from_db()
    french.save()
    assert "translation-notice" not in client.get("/fr/releases/plan-arctique/").content.decode()


def test_the_notice_never_points_at_a_source_the_public_cannot_read(client, pair, uncached_pages):
    english, french = pair
    Release.objects.filter(pk=english.pk).update(
        revised_at=french.updated_at + timedelta(days=2), status=Status.DRAFT
    )
    page = client.get("/fr/releases/plan-arctique/").content.decode()
    assert "translation-notice" not in page and "arctic-plan" not in page


def test_sitemap_alternates_only_public_versions(client, pair):
    english, french = pair
    make_speech(title="Discours seul", slug="discours-seul", language="fr")
    body = client.get("/sitemap-releases.xml").content.decode()
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in body
    urls = re.findall(r"<url>(.*?)</url>", body)
    english_url = next(url for url in urls if "<loc>http://testserver/releases/arctic-plan/" in url)
    assert 'hreflang="fr" href="http://testserver/fr/releases/plan-arctique/"' in english_url
    assert 'hreflang="en" href="http://testserver/releases/arctic-plan/"' in english_url
    assert 'hreflang="x-default" href="http://testserver/releases/arctic-plan/"' in english_url
    assert any("<loc>http://testserver/fr/releases/plan-arctique/" in url for url in urls)
    speeches = client.get("/sitemap-speeches.xml").content.decode()
    assert "/fr/speeches/discours-seul/" in speeches and "xhtml:link" not in speeches
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/fr/releases/</loc>" in pages


def test_a_speech_and_its_translation(client):
    key = uuid.uuid4()
    make_speech(title="Opening remarks", slug="opening-remarks", translation_key=key)
    make_speech(title="Allocution d'ouverture", slug="allocution-ouverture", language="fr",
                translation_key=key)  # fmt: skip
    found = alternates(client.get("/fr/speeches/allocution-ouverture/").content.decode())
    assert set(found) == {"en", "fr", "x-default"}
    assert Speech.objects.public().in_language("fr").count() == 1


def test_one_version_per_language(pair):
    from django.db import IntegrityError, transaction

    english, _ = pair
    with pytest.raises(IntegrityError), transaction.atomic():
        make_release(slug="another-french", language="fr", translation_key=english.translation_key)


def test_detail_page_reads_its_translations_in_its_one_query(
    client, pair, django_assert_max_num_queries
):
    client.get("/fr/releases/plan-arctique/")  # warm the per-version caches
    with django_assert_max_num_queries(2):  # the content version check and the item
        assert client.get("/fr/releases/plan-arctique/").status_code == HTTPStatus.OK


def test_the_api_says_each_items_language_and_filters_by_it(client, pair, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    english, french = pair
    everything = client.get("/api/v1/releases/").json()["results"]
    assert {item["slug"]: item["language"] for item in everything} == {
        "arctic-plan": "en",
        "plan-arctique": "fr",
    }
    french_only = client.get("/api/v1/releases/?language=fr").json()["results"]
    assert [item["slug"] for item in french_only] == ["plan-arctique"]
    item = french_only[0]
    assert item["url"] == "https://news.example.org/fr/releases/plan-arctique/"
    assert item["translations"] == [
        {
            "language": "en",
            "title": english.title,
            "url": "https://news.example.org/releases/arctic-plan/",
            "api_url": "https://news.example.org/api/v1/releases/arctic-plan/",
        }
    ]
    detail = client.get("/api/v1/releases/arctic-plan/").json()
    assert [version["language"] for version in detail["translations"]] == ["fr"]
    response = client.get("/api/v1/releases/?language=de")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "language" in response.json()["errors"]


def test_french_search_is_accent_insensitive_on_every_database(client):
    make_release(title="Réunion des ministres à Bruxelles", slug="reunion-ministres", language="fr")
    make_release(title="Ministers meet in Brussels", slug="ministers-meet")
    for typed in ("réunion", "reunion", "REUNION"):
        body = client.get(f"/fr/search/?q={typed}").content.decode()
        assert "/fr/releases/reunion-ministres/" in body, typed
        assert "/releases/ministers-meet/" not in body, typed
    assert "reunion-ministres" not in client.get("/search/?q=reunion").content.decode()


@requires_postgres
def test_french_items_are_stemmed_as_french_on_postgresql(client):
    body = "<p>Les Alliés poursuivent leurs discussions.</p>"
    make_release(
        title="Les négociations reprennent",
        slug="negociations-reprennent",
        language="fr",
        body=body,
    )
    body = client.get("/fr/search/?q=négociation").content.decode()
    assert "/fr/releases/negociations-reprennent/" in body
    body = client.get("/fr/search/?q=discussion").content.decode()
    assert "/fr/releases/negociations-reprennent/" in body
    # "négociera" is "negoci" to the French stemmer, as "négociations" is; to the English
    # one it stays "negociera". The API asks `q` in the language of `?language=`.
    found = client.get("/api/v1/releases/?language=fr&q=négociera").json()["results"]
    assert [item["slug"] for item in found] == ["negociations-reprennent"]
    assert client.get("/api/v1/releases/?q=négociera").json()["results"] == []
    # The response and its errors stay in English.
    error = client.get("/api/v1/releases/?language=fr&q=x&date_after=14/03/2024").json()
    assert error["errors"]["date_after"] == ["Enter a date as YYYY-MM-DD, for example 2024-03-14."]


def test_an_items_versions_pages_redirect_to_its_own_language(client, pair):
    response = client.get("/fr/releases/arctic-plan/versions/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/releases/arctic-plan/versions/"
    response = client.get("/releases/plan-arctique/versions/")
    assert response["Location"] == "/fr/releases/plan-arctique/versions/"
    assert client.get("/fr/releases/plan-arctique/versions/").status_code == HTTPStatus.OK


def test_a_topic_with_no_french_item_switches_to_the_french_home(client, pair):
    make_release(title="Cyber pledge", slug="cyber-pledge", tags=["Cyber defence"])
    body = client.get("/tags/cyber-defence/").content.decode()
    assert 'href="/fr/" hreflang="fr"' in body and "has no French version" in body
    assert alternates(body) == {}
    body = client.get("/tags/arctic/").content.decode()  # both languages have it
    assert 'href="/fr/tags/arctic/" hreflang="fr"' in body
    assert set(alternates(body)) == {"en", "fr", "x-default"}
    assert client.get("/fr/tags/cyber-defence/").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner and VM steps")
def test_an_untranslated_items_page_reads_no_other_item():
    """An item without a translation key never runs the translations subquery. On an
    analysed archive where no item has a key, SQLite judged a key to match every row and
    walked every public release for each item read: 100 ms a detail page and 2 s an API
    page at 100,000 items. Counted in SQLite VM steps, which must not grow with the
    archive."""

    def steps_to_read(slug: str) -> int:
        counted = 0

        def step() -> int:
            nonlocal counted
            counted += 1
            return 0  # go on

        connection.ensure_connection()
        connection.connection.set_progress_handler(step, 100)
        try:
            Release.objects.for_detail().public().get(slug=slug)
        finally:
            connection.connection.set_progress_handler(None, 100)
        return counted

    make_release(title="Alone", slug="alone")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    few = steps_to_read("alone")
    for number in range(300):
        make_release(title=f"Another release {number}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assert steps_to_read("alone") <= few + 5, (few, steps_to_read("alone"))


def test_a_translation_is_announced_when_its_embargo_lifts(client, time_machine):
    """The detail query is built once per process (`detail_rows()`); the translations it
    names are judged at the time each request runs it, not when it was built."""
    lift = timezone.now().replace(microsecond=0) + timedelta(minutes=10)
    key = uuid.uuid4()
    english = make_release(title="Summit opens", slug="summit-opens", translation_key=key)
    make_release(title="Le sommet s'ouvre", slug="le-sommet", language="fr",
                 translation_key=key, published_at=lift)  # fmt: skip
    detail_rows(Release)  # built before the lift
    before = client.get(english.get_absolute_url()).content.decode()
    assert "fr" not in alternates(before)
    time_machine.move_to(lift + timedelta(seconds=1), tick=False)
    after = client.get(english.get_absolute_url()).content.decode()
    assert alternates(after)["fr"].endswith("/fr/releases/le-sommet/")
