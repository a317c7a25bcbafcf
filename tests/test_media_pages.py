"""Everywhere a picture travels, its alt text, credit and licence go too: detail pages,
lists, OpenGraph and Twitter cards, JSON-LD, feeds; downloads show type, size, language."""

import json
import re
import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest

from articles.cache import fragments
from newsroom.media.models import Document
from tests.factories import (
    make_document,
    make_event,
    make_image,
    make_release,
    make_speaker,
    make_speech,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]

MEDIA = "{http://search.yahoo.com/mrss/}"


@pytest.fixture
def pictured():
    image = make_image(
        alt_text="Flags of 32 Allies at the headquarters",
        caption="Flags fly at NATO Headquarters.",
        credit="NATO / Jane Doe",
        licence="cc-by-4.0",
        licence_page="https://www.nato.int/photos/licensing",
    )
    release = make_release(title="Pictured release", lead_image=image)
    return image, release


def json_ld(body: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(found.group(1))


def test_the_detail_page_shows_a_responsive_credited_picture(client, pictured):
    image, release = pictured
    body = client.get(release.get_absolute_url()).content.decode()
    picture = re.search(r"<picture>.*?</picture>", body, re.S).group(0)
    assert '<source type="image/avif"' in picture and '<source type="image/webp"' in picture
    assert "480w" in picture and 'sizes="(min-width: 44rem) 42rem' in picture
    img = re.search(r"<img [^>]*>", picture).group(0)
    assert 'alt="Flags of 32 Allies at the headquarters"' in img
    assert re.search(r'width="\d+" height="\d+"', img), "no layout shift"
    assert 'fetchpriority="high"' in img and "loading=" not in img, "the lead is not lazy"
    figure = re.search(r'<figure class="media-figure.*?</figure>', body, re.S).group(0)
    assert "Flags fly at NATO Headquarters." in figure and "Credit: NATO / Jane Doe" in figure
    assert 'rel="license" href="https://creativecommons.org/licenses/by/4.0/"' in figure


def test_opengraph_twitter_and_json_ld_carry_the_picture_and_its_rights(client, pictured):
    image, release = pictured
    body = client.get(release.get_absolute_url()).content.decode()
    share = image.share_image["url"]
    assert f'<meta property="og:image" content="http://testserver{share}">' in body
    assert '<meta property="og:image:width" content="1200">' in body
    assert '<meta property="og:image:height" content="630">' in body
    assert 'og:image:alt" content="Flags of 32 Allies at the headquarters"' in body
    assert '<meta name="twitter:card" content="summary_large_image">' in body
    data = json_ld(body)["image"]
    assert data == {
        "@type": "ImageObject",
        "contentUrl": f"http://testserver{share}",
        "url": f"http://testserver{share}",
        "width": 1200,
        "height": 630,
        "creditText": "NATO / Jane Doe",
        "copyrightNotice": "NATO / Jane Doe",
        "caption": "Flags fly at NATO Headquarters.",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "acquireLicensePage": "https://www.nato.int/photos/licensing",
    }
    assert client.get(share).status_code == HTTPStatus.OK


def test_a_page_without_a_picture_has_a_plain_card(client):
    release = make_release()
    body = client.get(release.get_absolute_url()).content.decode()
    assert "og:image" not in body and '"image"' not in body
    assert '<meta name="twitter:card" content="summary">' in body


def test_lists_show_a_credited_lazy_thumbnail_without_more_queries(
    client, pictured, django_assert_num_queries
):
    image, release = pictured
    body = client.get("/releases/").content.decode()
    card = re.search(r'<article class="card card--picture">.*?</article>', body, re.S).group(0)
    assert "thumb-" in card and 'loading="lazy"' in card and "NATO / Jane Doe" in card
    # A list of pictured releases costs what a list of plain ones does.
    client.get("/releases/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fragments.clear()  # the cards' own queries count: render them again
    with CaptureQueriesContext(connection) as pictured_run:
        client.get("/releases/")
    make_release(lead_image=image)
    make_release(lead_image=make_image())
    client.get("/releases/")  # counts and indexes are kept per content version
    fragments.clear()
    with CaptureQueriesContext(connection) as more:
        client.get("/releases/")
    assert len(more) == len(pictured_run)


def test_speech_speaker_and_event_pages_show_their_pictures(client):
    portrait = make_image(alt_text="Portrait of the speaker", credit="NATO / Portraits")
    speaker = make_speaker(portrait=portrait, listed=True)
    speech = make_speech(lead_image=make_image(alt_text="At the lectern"), speakers=[speaker])
    assert "At the lectern" in client.get(speech.get_absolute_url()).content.decode()
    page = client.get(speaker.get_absolute_url()).content.decode()
    assert "Portrait of the speaker" in page and "NATO / Portraits" in page


def test_feeds_carry_the_picture_with_its_credit(client, pictured):
    image, release = pictured
    for url in ("/feeds/releases/", "/feeds/releases/atom/"):
        root = ET.fromstring(client.get(url).content)
        content = root.find(f".//{MEDIA}content")
        assert content is not None, url
        assert content.get("url") == f"http://testserver{image.share_image['url']}"
        assert content.get("medium") == "image" and content.get("width") == "1200"
        assert content.find(f"{MEDIA}credit").text == "NATO / Jane Doe"
        assert content.find(f"{MEDIA}description").text == image.alt_text
        licence = content.find(f"{MEDIA}license")
        assert licence.text == "CC BY 4.0" and licence.get("href").startswith("https://creat")


def test_figures_in_the_text_come_from_the_library(client):
    image = make_image(alt_text="Soldiers in the snow", credit="NATO / Arctic")
    body = (
        "<p>Before.</p>"
        f'<figure><img src="{image.url}" alt=""><figcaption>Exercise Nordic Response.'
        "</figcaption></figure><p>After.</p>"
    )
    speech = make_speech(body=body)
    page = client.get(speech.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="media-figure">.*?</figure>', page, re.S).group(0)
    assert 'alt="Soldiers in the snow"' in figure and 'loading="lazy"' in figure
    assert "Exercise Nordic Response." in figure and "Credit: NATO / Arctic" in figure
    assert "<picture>" in figure


def test_figures_without_a_library_image_are_left_as_they_are(client):
    body = '<figure><p><small class="picture">Pictured: flags.</small></p><figcaption>Flags.'
    body += "</figcaption></figure>"
    release = make_release(body=body)
    page = client.get(release.get_absolute_url()).content.decode()
    assert "Pictured: flags." in page and "<picture>" not in page


def test_downloads_are_listed_in_order_with_type_size_and_language(client):
    pdf = Document(title="Full report", kind="report", language="en")
    from django.core.files.base import ContentFile

    pdf.file.save("report.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n" * 100), save=False)
    pdf.mime_type, pdf.file_size = "application/pdf", 1500
    pdf.save()
    chapter = make_document(title="Chapitre 1", language="fr", url="https://www.nato.int/c1.pdf")
    release = make_release()
    release.downloads.create(document=chapter, position=2)
    release.downloads.create(document=pdf, position=1)
    page = client.get(release.get_absolute_url()).content.decode()
    section = re.search(r'<section class="downloads".*?</section>', page, re.S).group(0)
    assert section.index("Full report") < section.index("Chapitre 1")
    assert "(PDF, 1.5\xa0KB, report, English)" in section
    assert 'hreflang="fr"' in section and "(Link, chapter, French)" in section
    assert pdf.href in section and client.get(pdf.href).status_code == HTTPStatus.OK
    # In the side column with the item's people and topics (beside the text when wide).
    side = re.search(r'<aside class="detail-side".*?</aside>', page, re.S).group(0)
    assert '<section class="downloads"' in side


def test_the_seed_annual_report_offers_its_pdf_as_a_document(client):
    """Seed 002's links to its PDF become one Document (an external link, no file copied)
    among its downloads; its photo captions stay figures, and no picture is invented."""
    from django.core.management import call_command

    from articles.models import ReleaseDownload
    from newsroom.media.models import Image

    call_command("loaddata", "seed", verbosity=0)
    call_command("loaddata", "seed", verbosity=0)  # twice changes nothing
    document = Document.objects.get()
    assert document.url.endswith("/sgar23-en.pdf") and not document.file
    assert ReleaseDownload.objects.get().release.slug == "secretary-generals-annual-report-2023"
    assert not Image.objects.exists()
    page = client.get("/releases/secretary-generals-annual-report-2023/").content.decode()
    section = re.search(r'<section class="downloads".*?</section>', page, re.S).group(0)
    assert document.url in section and "(Link, report, English)" in section
    assert "Pictured: Thirty-one national flags fly at NATO Headquarters" in page
    assert "<picture>" not in page


def test_the_api_gives_pictures_with_their_rights_and_downloads(client, pictured):
    image, release = pictured
    release.downloads.create(document=make_document(title="Chapter 1"), position=0)
    data = client.get(f"/api/v1/releases/{release.slug}/").json()
    assert data["images"] == [{
        "role": "lead",
        "url": f"http://testserver{image.rendition('content')['url']}",
        "width": image.rendition("content")["width"],
        "height": image.rendition("content")["height"],
        "share_url": f"http://testserver{image.share_image['url']}",
        "alt_text": "Flags of 32 Allies at the headquarters",
        "caption": "Flags fly at NATO Headquarters.",
        "credit": "NATO / Jane Doe",
        "licence": "cc-by-4.0",
        "licence_label": "CC BY 4.0",
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "acquire_licence_page": "https://www.nato.int/photos/licensing",
    }]  # fmt: skip
    assert data["downloads"] == [{"title": "Chapter 1", "kind": "chapter", "language": "en",
                                  "url": "https://www.nato.int/report.pdf", "type": "Link",
                                  "size": None}]  # fmt: skip
    listed = client.get("/api/v1/releases/").json()["results"][0]
    assert listed["images"][0]["credit"] == "NATO / Jane Doe"
    speaker = make_speaker(listed=True, portrait=make_image(alt_text="Portrait", credit="P"))
    found = client.get(f"/api/v1/speakers/{speaker.slug}/").json()
    assert found["image"]["role"] == "portrait" and found["image"]["credit"] == "P"
    assert client.get("/api/v1/speakers/").json()["results"][0]["image"]["alt_text"]
    event = make_event(listed=True, lead_image=make_image(alt_text="The venue", credit="E"))
    found = client.get(f"/api/v1/events/{event.slug}/").json()
    assert found["image"]["role"] == "lead" and found["image"]["credit"] == "E"
    assert client.get("/api/v1/events/").json()["results"][0]["image"]["alt_text"] == "The venue"


def test_generate_archive_attaches_synthetic_pictures(client):
    from django.core.management import call_command

    from articles.models import Release, Speech
    from newsroom.media.models import Image

    call_command("generate_archive", releases=12, speeches=6, images=3, verbosity=0)
    images = Image.objects.filter(original_name__startswith="gen-")
    assert images.count() == 3
    assert len({image.file_size for image in images}) == 3, "distinct pictures"
    for model in (Release, Speech):
        generated = model.objects.filter(slug__startswith="gen-")
        assert not generated.filter(lead_image=None).exists()
        assert generated.values("lead_image").distinct().count() == 3, "reused"
    live = Release.objects.public().filter(slug__startswith="gen-").first()
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Credit: Newsroom test archive" in page
    call_command("generate_archive", releases=12, speeches=6, images=2, replace=True,
                 verbosity=0)  # fmt: skip
    assert Image.objects.filter(original_name__startswith="gen-").count() == 2


def test_pictures_add_no_query_to_any_list(client):
    """Home, lists, speaker, event and tag pages read each lead image with its item."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_event

    speaker, event = make_speaker(listed=True), make_event(listed=True)
    for _ in range(3):
        make_release(speakers=[speaker], events=[event], tags=["Arctic"])
        make_speech(speakers=[speaker], event=event, tags=["Arctic"])
    urls = ["/", "/releases/", "/speeches/", speaker.get_absolute_url(),
            event.get_absolute_url(), "/tags/arctic/", "/search/?q=release"]  # fmt: skip

    def queries() -> dict[str, int]:
        for url in urls:
            client.get(url)  # kept per content version: warm first
        counts = {}
        for url in urls:
            fragments.clear()  # cards rendered again: their own queries count
            with CaptureQueriesContext(connection) as run:
                assert client.get(url).status_code == HTTPStatus.OK, url
            counts[url] = len(run)
        return counts

    plain = queries()
    from articles.models import Release, Speech

    picture = make_image()
    Release.objects.update(lead_image=picture)
    Speech.objects.update(lead_image=picture)
    from articles.cache import bump_content_version

    bump_content_version()
    assert queries() == plain
    assert "thumb-" in client.get(speaker.get_absolute_url()).content.decode()
