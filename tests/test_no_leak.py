"""No draft or embargoed item reaches the public, on any public URL; nor a withdrawn item
beyond its own page and the corrections record; nor a removed item anywhere; nor text an
item held only as a draft, in review or under embargo (its public versions and diffs).

The URLs are discovered by walking the URL resolver, so a page added later is covered
automatically: a new pattern with parameters fails this test until it is given values
below. Only the admin and static files are skipped by the page walk; media files (binary)
are walked at the end of this module, every original, rendition and document of every
live and hidden item.
"""

import uuid
from datetime import date, timedelta
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.filters import PublicationFilterSet
from articles.models import EventVersion, Release, Speaker, SpeakerVersion, Speech
from articles.querysets import Status
from articles.sitemaps import SITEMAPS
from tests.factories import make_event, make_release, make_speaker, make_speech
from tests.support import FILTER_SAMPLES, public_patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    """Live items, and hidden ones that share every tag, speaker and event with them."""
    speaker = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    event = make_event(name="Vilnius Summit", slug="vilnius-summit", start_on=date(2023, 7, 11))
    shared = {"tags": ["Ukraine", "Arctic"]}
    later = timezone.now() + timedelta(hours=6)
    recent = timezone.now() - timedelta(days=1)
    live = {
        "release": make_release(
            title="Visible walrus release",
            slug="visible-walrus",
            kind="news",
            speakers=[speaker],
            events=[event],
            published_at=recent,
            **shared,
        ),
        "speech": make_speech(
            title="Visible walrus speech",
            slug="visible-walrus-speech",
            speakers=[speaker],
            event=event,
            published_at=recent,
            delivered_on=timezone.localdate(),
            **shared,
        ),
    }
    hidden = {
        "draft_release": make_release(
            title="Zebra draft release",
            slug="zebra-draft-release",
            status=Status.DRAFT,
            kind="news",
            speakers=[speaker],
            events=[event],
            **shared,
        ),
        "review_speech": make_speech(
            title="Zebra review speech",
            slug="zebra-review-speech",
            status=Status.IN_REVIEW,
            speakers=[speaker],
            event=event,
            **shared,
        ),
        "embargoed_release": make_release(
            title="Yak embargoed release",
            slug="yak-embargo-release",
            published_at=later,
            kind="news",
            speakers=[speaker],
            events=[event],
            **shared,
        ),
        "embargoed_speech": make_speech(
            title="Yak embargoed speech",
            slug="yak-embargo-speech",
            published_at=later,
            speakers=[speaker],
            event=event,
            delivered_on=timezone.localdate(),
            **shared,
        ),
    }
    # Named only by the embargoed release: a new appointee, an unannounced summit, a topic.
    secret_speaker = make_speaker(name="Zelda Secretperson", slug="zelda-secretperson")
    secret_event = make_event(name="Quokka Accession Summit", slug="quokka-summit")
    hidden["embargoed_release"].speakers.add(secret_speaker)
    hidden["embargoed_release"].events.add(secret_event)
    hidden["embargoed_release"].tags.add("Quokka accession")
    secrets = {"speaker": secret_speaker, "event": secret_event}
    # Made by a press officer and named by nothing yet: private until an editor lists them.
    make_speaker(name="Orca Unannounced", slug="orca-unannounced", role="Envoy designate")
    make_event(name="Narwhal Unannounced Summit", slug="narwhal-summit")
    # Taken down after being public: withdrawn (its page stays, under a notice) and removed.
    taken_down = {
        "withdrawn": make_release(
            title="Walrus withdrawn release", slug="walrus-withdrawn", kind="news",
            speakers=[speaker], events=[event], published_at=recent, **shared,
        ),
        "withdrawn_speech": make_speech(
            title="Walrus withdrawn speech", slug="walrus-withdrawn-speech", speakers=[speaker],
            event=event, published_at=recent, delivered_on=timezone.localdate(), **shared,
        ),
        "removed": make_release(
            title="Removed narwhal release", slug="removed-narwhal", kind="news",
            speakers=[speaker], events=[event], published_at=recent, **shared,
        ),
    }  # fmt: skip
    for key, item in taken_down.items():
        item.status = Status.REMOVED if key == "removed" else Status.WITHDRAWN
        item.withdrawn_at, item.withdrawal_note = timezone.now(), f"Notice about {key}."
        item.save()
    # Live items whose history holds text readers never saw: a draft, a text in review,
    # an embargo rewritten before its lift; and text that was public.
    for item in live.values():
        give_history(item, recent)
    return {
        "live": live,
        "hidden": hidden,
        "taken_down": taken_down,
        "speaker": speaker,
        "event": event,
        "later": later,
        "secrets": secrets,
    }


NEVER_PUBLIC_TEXT = ["Zebra draft wording", "Zebra review wording", "Yak embargoed wording"]


def give_history(item, recent) -> None:
    """Revisions of `item` from before `recent` (its publication): a draft, a text in
    review, an embargo rewritten before its lift, then the public texts."""
    start = recent - timedelta(days=10)
    body = item.body
    # A speech's script ("Check against delivery") is held in draft, under embargo and
    # then public; the current text is as delivered (its script page compares the two).
    script, delivered = "check-against-delivery", "as-delivered"
    states = [
        (start, Status.DRAFT, recent, "<p>Zebra draft wording.</p>", script),
        (start + timedelta(days=1), Status.IN_REVIEW, recent, "<p>Zebra review wording.</p>",
         script),
        (start + timedelta(days=2), Status.PUBLISHED, recent, "<p>Yak embargoed wording.</p>",
         script),
        (recent - timedelta(hours=1), Status.PUBLISHED, recent, "<p>First public text.</p>",
         script),
        (recent + timedelta(hours=1), Status.PUBLISHED, recent, body, delivered),
    ]  # fmt: skip
    is_speech = hasattr(item, "delivery_status")
    for when, status, published_at, text, delivery in states:
        item.status, item.published_at, item.body = status, published_at, text
        if is_speech:
            item.delivery_status = delivery
        item._history_date = when  # as a save at that time would stamp it
        type(item).history.bulk_history_create([item], update=True)
    current = {"delivery_status": delivered} if is_speech else {}
    type(item).objects.filter(pk=item.pk).update(status=Status.PUBLISHED, body=body, **current)
    item.refresh_from_db()


def public_version_ids(item) -> list:
    return list(
        item.history.public_versions().order_by("history_date").values_list("history_id", flat=True)
    )


def parameter_values(newsroom) -> dict[str, list[dict]]:
    """Values for every public pattern that takes parameters (by URL name)."""
    live = newsroom["live"]
    today = timezone.localdate()
    return {
        "articles:release-detail": [{"slug": live["release"].slug}],
        "articles:speech-detail": [{"slug": live["speech"].slug}],
        "articles:speaker-detail": [{"slug": newsroom["speaker"].slug}],
        "articles:event-detail": [{"slug": newsroom["event"].slug}],
        "articles:tag-detail": [{"slug": "ukraine"}, {"slug": "arctic"}],
        "articles:archive-year": [{"year": today.year}],
        # Preview links: only a token an editor made opens one (tests/test_review.py).
        "articles:preview-link": [{"token": "not-a-token"}],
        "articles:sitemap-section": [{"section": name} for name in SITEMAPS],
        # The JSON API: the same items, and the hidden ones' own slugs (must be 404s).
        "api:release-detail": [{"slug": live["release"].slug}],
        "api:speech-detail": [{"slug": live["speech"].slug}],
        "api:speaker-detail": [{"slug": newsroom["speaker"].slug}],
        "api:event-detail": [{"slug": newsroom["event"].slug}],
        "api:tag-detail": [{"slug": "ukraine"}, {"slug": "arctic"}],
        **{f"articles:{key}-versions": [{"slug": live[key].slug}] for key in ("release", "speech")},
        # The live speech's script as released (the hidden speeches': see below).
        "articles:speech-script-changes": [{"slug": live["speech"].slug}],
        **{
            f"articles:{key}-version": [
                {"slug": live[key].slug, "version": version}
                for version in public_version_ids(live[key])
            ]
            for key in ("release", "speech")
        },
        **distribution_values(newsroom),
        **{
            f"articles:{key}-version-changes": [
                {"slug": live[key].slug, "version": version}
                for version in public_version_ids(live[key])[1:]  # the first has none
            ]
            for key in ("release", "speech")
        },
    }


def distribution_values(newsroom) -> dict[str, list[dict]]:
    """Alert links (a confirmation, a subscription's pages) and an advance copy's link: to
    its own embargoed item, which must be the only hidden item it shows."""
    from django.contrib.contenttypes.models import ContentType

    from newsroom.distribution import alerts, links
    from newsroom.distribution.advance import issue_link
    from newsroom.distribution.models import AdvanceCopy, Contact, Subscription

    wanted = {"scope": "releases", "tags": ["ukraine"], "speaker": newsroom["speaker"].slug}
    cleaned = alerts.clean_filter(wanted)
    subscription, _ = Subscription.objects.get_or_create(
        email="reader@example.org", filter_key=alerts.filter_key(cleaned),
        defaults={"scope": "releases", "tags": ["ukraine"], "speaker": newsroom["speaker"].slug,
                  "confirmed_at": timezone.now()},
    )  # fmt: skip
    sent_ahead = Release.objects.filter(slug="okapi-advance").first() or make_release(
        title="Okapi advance copy", slug="okapi-advance", published_at=newsroom["later"]
    )
    contact, _ = Contact.objects.get_or_create(name="Anna Reporter", email="anna@paper.example")
    copy, created = AdvanceCopy.objects.get_or_create(
        contact=contact, content_type=ContentType.objects.get_for_model(sent_ahead),
        object_id=sent_ahead.pk,
    )  # fmt: skip
    if created:
        issue_link(copy)
        copy.save()
    manage = links.manage_token(subscription.pk)
    confirm = links.confirm_token({"email": "reader@example.org", "filter": wanted})
    return {
        "distribution:confirm": [{"token": confirm}],
        "distribution:manage": [{"token": manage}],
        "distribution:unsubscribe": [{"token": manage}],
        "distribution:advance-copy": [{"token": links.advance_token(copy.pk, copy.nonce)}],
    }


def filter_queries(newsroom, kind: str) -> list[dict]:
    today = timezone.localdate().isoformat()
    # Every filter of the contract, with the shared samples (tests/support.py), and
    # values of this newsroom where they catch more: the hidden items carry them.
    one_of_each = {name: value for name, (value, _) in FILTER_SAMPLES.items()}
    one_of_each.update({
        "tag": "ukraine",
        "speaker": newsroom["speaker"].slug,
        "event": newsroom["event"].slug,
        "kind": kind,
        "date_after": "2000-01-01",
        "date_before": today,
        "q": "Zebra",
    })  # fmt: skip
    missing = set(PublicationFilterSet.parameters()) - set(one_of_each)
    assert not missing, f"give the filters {sorted(missing)} a sample in tests/support.py"
    queries = [{}] + [{name: value} for name, value in one_of_each.items()]
    queries += [{"q": "Yak"}, {"q": "embargoed"}, {"tag": ["ukraine", "arctic"]}]
    queries.append({k: v for k, v in one_of_each.items() if k not in {"kind", "q"}})
    return queries


def every_public_url(newsroom) -> list[str]:
    values = parameter_values(newsroom)
    urls = []
    for name, route, pattern in public_patterns():
        if pattern.pattern.converters:
            assert name in values, f"tell test_no_leak how to fill {name} ({route})"
            urls += [reverse(name, kwargs=kwargs) for kwargs in values[name]]
        else:
            url = reverse(name)
            urls.append(url)
            filtered = (
                "/releases/",
                "/speeches/",
                "/search/",
                "/feeds/releases/",
                "/feeds/speeches/",
                "/api/v1/releases/",
                "/api/v1/speeches/",
                "/alerts/",
            )
            if url.startswith(filtered):
                kind = "speech" if "speech" in url else "news"
                for query in filter_queries(newsroom, kind):
                    if query:
                        urls.append(f"{url}?{urlencode(query, doseq=True)}")
    return urls


def assert_absent(body: str, items, url: str) -> None:
    for item in items:
        assert item.title not in body, f"{item.title} leaks on {url}"
        assert item.slug not in body, f"{item.slug} leaks on {url}"


SECRET_NAMES = ["Zelda Secretperson", "Quokka Accession Summit", "Quokka accession"]
SECRET_SLUGS = ["zelda-secretperson", "quokka-summit", "quokka-accession"]
SECRET_URLS = ["/speakers/zelda-secretperson/", "/events/quokka-summit/", "/tags/quokka-accession/"]
# Never public without an editor, embargo or not.
UNLISTED_NAMES = ["Orca Unannounced", "Envoy designate", "Narwhal Unannounced Summit"]
UNLISTED_URLS = ["/speakers/orca-unannounced/", "/events/narwhal-summit/"]


def test_a_hidden_speechs_script_page_is_a_plain_404(client, newsroom):
    """In review or under embargo, with a script and a text as delivered in its history:
    its script page answers 404 and names nothing."""
    for key in ("review_speech", "embargoed_speech"):
        speech = newsroom["hidden"][key]
        kept = {"status": speech.status, "published_at": speech.published_at}
        give_history(speech, newsroom["later"])
        type(speech).objects.filter(pk=speech.pk).update(**kept)  # hidden as it was
        assert not type(speech).objects.public().filter(pk=speech.pk).exists()
        response = client.get(f"/speeches/{speech.slug}/versions/script/changes/")
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert_absent(response.content.decode(), [speech], key)


def test_hidden_items_appear_on_no_public_url(client, newsroom):
    hidden = list(newsroom["hidden"].values())
    urls = every_public_url(newsroom)
    urls += [
        "/releases/?tag=quokka-accession",
        "/releases/?speaker=zelda-secretperson",
        "/speeches/?event=quokka-summit",
        "/feeds/releases/?speaker=zelda-secretperson",
        "/api/v1/releases/?tag=quokka-accession",
        "/api/v1/speeches/?event=quokka-summit",
        "/api/v1/releases/?page_size=1&q=walrus",
    ]
    assert len(urls) > 40
    for url in urls:
        response = client.get(url)
        # A preview link opens a hidden item on purpose, with a token an editor made
        # (tests/test_review.py); any other token is a 404 that names nothing.
        expected = HTTPStatus.NOT_FOUND if url.startswith("/preview/") else HTTPStatus.OK
        assert response.status_code == expected, url
        body = response.content.decode()
        assert_absent(body, hidden, url)
        for name in SECRET_NAMES + UNLISTED_NAMES:
            assert name not in body, f"{name} leaks on {url}"
        for slug in SECRET_SLUGS:  # a slug the reader typed may be echoed, no other
            assert slug in url or slug not in body, f"{slug} leaks on {url}"
    for item in hidden:
        assert client.get(item.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
        api = f"/api/v1/{item.get_absolute_url().lstrip('/')}"
        assert client.get(api).status_code == HTTPStatus.NOT_FOUND, api
    for url in SECRET_URLS + UNLISTED_URLS:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
        assert client.get(f"/api/v1{url}").status_code == HTTPStatus.NOT_FOUND, url


def test_api_pages_through_cursors_show_no_hidden_item(client, newsroom):
    """Every page of the API's lists, one item a page, to the end and back."""
    hidden = list(newsroom["hidden"].values())
    for start in ("/api/v1/releases/?page_size=1", "/api/v1/speeches/?page_size=1",
                  "/api/v1/speakers/?page_size=1", "/api/v1/events/?page_size=1",
                  "/api/v1/tags/?page_size=1"):  # fmt: skip

        def read(url: str) -> dict:
            body = client.get(url).json()
            assert_absent(str(body), hidden, url)
            for name in SECRET_NAMES + UNLISTED_NAMES:
                assert name not in str(body), f"{name} leaks on {url}"
            return body

        body = read(start)
        seen = len(body["results"])
        while body["next"]:
            body = read(body["next"])
            seen += len(body["results"])
        while body["previous"]:
            body = read(body["previous"])
        assert seen, start


# Where a withdrawn item may still be read: its own pages and the corrections record.
RECORD_URLS = ("/corrections/", "/feeds/corrections/", "/feeds/corrections/atom/")


def test_taken_down_items_and_unpublished_text_appear_on_no_other_url(client, newsroom):
    taken_down = newsroom["taken_down"]
    withdrawn = [taken_down["withdrawn"], taken_down["withdrawn_speech"]]
    removed = taken_down["removed"]
    urls = every_public_url(newsroom)
    versions = [url for url in urls if "/versions/" in url]
    assert len(versions) >= 6, "the walker reads public versions and their diffs"
    for url in urls:
        body = client.get(url).content.decode()
        assert_absent(body, [removed], url)
        assert "Notice about removed." not in body or url in RECORD_URLS, url
        if url not in RECORD_URLS:
            assert_absent(body, withdrawn, url)
        for text in NEVER_PUBLIC_TEXT:
            assert text not in body, f"{text!r} leaks on {url}"
    joined = "".join(client.get(url).content.decode() for url in versions)
    assert "First public text." in joined, "public earlier versions are shown"
    script = client.get(f"{newsroom['live']['speech'].get_absolute_url()}versions/script/changes/")
    assert script.status_code == HTTPStatus.OK, "the script as released is compared"
    assert "First public text." in script.content.decode()
    for item in withdrawn:
        page = client.get(item.get_absolute_url())
        assert page.status_code == HTTPStatus.OK and "Withdrawn on" in page.content.decode()
        versions_page = client.get(f"{item.get_absolute_url()}versions/")
        assert versions_page.status_code == HTTPStatus.OK
    gone = client.get(removed.get_absolute_url())
    assert gone.status_code == HTTPStatus.GONE
    assert "Notice about removed." in gone.content.decode()
    # The 410 note names what was removed (it was public), never its text.
    assert removed.title in gone.content.decode() and removed.body not in gone.content.decode()
    record = client.get("/corrections/").content.decode()
    assert "Walrus withdrawn release" in record and "Notice about removed." in record


def test_counts_leave_hidden_items_out(client, newsroom):
    assert "1 release" in client.get("/releases/?tag=ukraine").content.decode()
    assert "1 speech" in client.get("/speeches/?speaker=jens-stoltenberg").content.decode()
    assert "Releases (1)" in client.get("/tags/ukraine/").content.decode()
    speakers = client.get("/speakers/").content.decode()
    assert "1 speech · quoted in 1 release" in speakers
    assert "Ukraine (1)" in client.get("/releases/").content.decode()


def test_embargoed_items_appear_when_their_time_comes(client, newsroom, time_machine):
    embargoed = [newsroom["hidden"]["embargoed_release"], newsroom["hidden"]["embargoed_speech"]]
    drafts = [newsroom["hidden"]["draft_release"], newsroom["hidden"]["review_speech"]]
    # Warm every cache first: nothing cached may outlive the embargo.
    for url in every_public_url(newsroom):
        client.get(url)

    time_machine.move_to(newsroom["later"] + timedelta(seconds=1))

    releases = client.get("/releases/?tag=ukraine").content.decode()
    assert embargoed[0].title in releases and "2 releases" in releases
    assert embargoed[1].title in client.get("/speeches/").content.decode()
    assert "Releases (2)" in client.get("/tags/ukraine/").content.decode()
    assert "Ukraine (2)" in client.get("/releases/").content.decode()
    for item in embargoed:
        assert client.get(item.get_absolute_url()).status_code == HTTPStatus.OK
    for url in SECRET_URLS:  # the speaker, event and topic come out with their release
        assert client.get(url).status_code == HTTPStatus.OK, url
    for url in UNLISTED_URLS:  # no public item names them, no editor listed them
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    for url in every_public_url(newsroom):
        assert_absent(client.get(url).content.decode(), drafts, url)


# Media files (newsroom/media/): the walker above reads pages; files are binary, so their
# addresses are walked here, with pictures and documents on every live and hidden item.


@pytest.fixture
def pictured_newsroom(newsroom):
    from tests.factories import make_document, make_image

    pictures = {}
    for group in ("live", "hidden", "taken_down"):
        for key, item in newsroom[group].items():
            image = make_image(alt_text=f"Picture of {item.slug}", credit=f"Credit {key}")
            type(item).objects.filter(pk=item.pk).update(lead_image=image)
            figure = make_image(alt_text=f"Figure of {item.slug}", credit=f"Figure credit {key}")
            item.refresh_from_db()
            item.body += (
                f'<figure><img src="{figure.url}" alt=""><figcaption>F</figcaption></figure>'
            )
            item.skip_history_when_saving = True
            item.save()
            pictures[key] = (group, [image, figure])
            if hasattr(item, "downloads"):
                item.downloads.create(document=make_document(title=f"Download of {item.slug}"))
    secret = make_image(alt_text="Portrait of the secret speaker", credit="Secret credit")
    newsroom["secrets"]["speaker"].portrait = secret
    newsroom["secrets"]["speaker"].save()
    pictures["secret-portrait"] = ("hidden", [secret])
    return {**newsroom, "pictures": pictures}


def file_urls(images) -> list[str]:
    urls = []
    for image in images:
        urls.append(image.url)
        urls += [row["url"] for spec in ("content", "thumb", "share")
                 for rows in image.variants(spec).values() for row in rows]  # fmt: skip
    return urls


def test_files_of_hidden_items_answer_404_and_no_page_names_them(client, pictured_newsroom):
    pictures = pictured_newsroom["pictures"]
    hidden = [image for key, (group, images) in pictures.items() if group == "hidden"
              or key == "removed" for image in images]  # fmt: skip
    shown = [image for key, (group, images) in pictures.items() if group == "live"
             or key in ("withdrawn", "withdrawn_speech") for image in images]  # fmt: skip
    for url in file_urls(hidden):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    for url in file_urls(shown):
        assert client.get(url).status_code == HTTPStatus.OK, url
    for url in every_public_url(pictured_newsroom):
        body = client.get(url).content.decode()
        for image in hidden:
            assert image.key.hex not in body, f"a hidden item's picture is named on {url}"
            assert image.alt_text not in body and image.credit not in body, url
        assert "Download of yak" not in body and "Download of zebra" not in body, url
    live = pictured_newsroom["live"]["release"].get_absolute_url()
    assert "Credit release" in client.get(live).content.decode(), "live pictures are shown"


def test_files_of_embargoed_items_are_served_from_the_lift(client, pictured_newsroom, time_machine):
    pictures = pictured_newsroom["pictures"]
    embargoed = pictures["embargoed_release"][1] + pictures["embargoed_speech"][1]
    drafts = pictures["draft_release"][1] + pictures["review_speech"][1]
    for url in file_urls(embargoed):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    time_machine.move_to(pictured_newsroom["later"] + timedelta(seconds=1))
    for url in file_urls(embargoed):
        assert client.get(url).status_code == HTTPStatus.OK, url
    for url in file_urls(drafts):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url


def test_hidden_translations_appear_on_no_url_in_either_language(client, newsroom):
    """A public English release and speech with a French draft and a French embargoed
    version: every public URL, in English and under /fr/, names neither of them (nor the
    language switch, hreflang or the sitemap's alternates), and their pages answer 404."""
    release, speech = newsroom["live"]["release"], newsroom["live"]["speech"]
    key = uuid.uuid4()
    Release.objects.filter(pk=release.pk).update(translation_key=key)
    Speech.objects.filter(pk=speech.pk).update(translation_key=key)
    hidden = [
        make_release(title="Morse embargoed French release", slug="morse-embargo-fr",
                     language="fr", translation_key=key, published_at=newsroom["later"],
                     kind="news", speakers=[newsroom["speaker"]], tags=["Ukraine"]),
        make_speech(title="Morse draft French speech", slug="morse-draft-fr", language="fr",
                    translation_key=key, status=Status.DRAFT, speakers=[newsroom["speaker"]]),
    ]  # fmt: skip
    # Versions of the speaker and event in French that readers may not see: drafts of the
    # public ones, and a published version of a speaker no public item names.
    SpeakerVersion.objects.create(
        speaker=newsroom["speaker"],
        language="fr",
        name="Narval draft speaker",
        role="Narval draft role",
    )
    EventVersion.objects.create(
        event=newsroom["event"],
        language="fr",
        name="Narval draft event",
        location="Narval draft place",
    )
    secret = Speaker.objects.get(slug="zelda-secretperson")
    SpeakerVersion.objects.create(speaker=secret, language="fr", name="Narval hidden speaker",
                                  published=True)  # fmt: skip
    with translation.override("fr"):
        french = every_public_url(newsroom)
    urls = every_public_url(newsroom) + french
    assert any(url.startswith("/fr/releases/") for url in french)
    urls += ["/fr/search/?q=Morse", "/fr/releases/?q=embargoed", "/sitemap-releases.xml",
             "/sitemap-speeches.xml", release.get_absolute_url(),
             speech.get_absolute_url()]  # fmt: skip
    for url in urls:
        response = client.get(url, follow=True)  # an English item's slug under /fr/: 302
        # A topic or archive year with no public French item is a 404 in French.
        french_only_if_used = url.startswith(("/fr/tags/", "/fr/archive/2"))
        expected = HTTPStatus.NOT_FOUND if "/preview/" in url else HTTPStatus.OK
        assert response.status_code == expected or french_only_if_used, url
        assert_absent(response.content.decode(), hidden, url)
        assert "Narval" not in response.content.decode(), url
    for item in hidden:
        assert client.get(item.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
