"""Embargo-safe files: an original, rendition or document used only by items the public
may not see answers 404 to the public (staff see it), and is served from the lift."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.querysets import Status
from newsroom.media.models import Document, Image
from tests.factories import (
    make_event,
    make_image,
    make_release,
    make_speaker,
    make_speech,
)

pytestmark = pytest.mark.django_db


def urls_of(image) -> list[str]:
    return [image.url, *(row["url"] for rows in image_variants(image) for row in rows)]


def image_variants(image):
    for spec in ("content", "thumb", "share"):
        yield from image.variants(spec).values()


def statuses(client, urls) -> set[int]:
    return {client.get(url).status_code for url in urls}


def test_files_of_an_embargoed_release_are_404_until_the_lift(client, staff_client, time_machine):
    image = make_image()
    lift = timezone.now() + timedelta(hours=2)
    make_release(lead_image=image, published_at=lift)
    urls = urls_of(image)
    assert len(urls) > 10
    anonymous = client.__class__()
    assert statuses(anonymous, urls) == {HTTPStatus.NOT_FOUND}
    response = anonymous.get(image.url)
    assert "no-store" in response["Cache-Control"], "no cache keeps the 404 past the lift"
    staff = staff_client.get(image.url)
    assert staff.status_code == HTTPStatus.OK
    assert "private" in staff["Cache-Control"] and "no-store" in staff["Cache-Control"]

    time_machine.move_to(lift + timedelta(seconds=1))  # no job runs: the rule is asked now

    assert statuses(anonymous, urls) == {HTTPStatus.OK}
    response = anonymous.get(image.url)
    assert response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_drafts_unused_files_and_unknown_names_are_404(client):
    draft_image, unused = make_image(), make_image()
    make_release(lead_image=draft_image, status=Status.DRAFT)
    make_speech(lead_image=draft_image, status=Status.IN_REVIEW)
    for url in (draft_image.url, unused.url, "/media/images/" + "0" * 32 + ".jpg",
                "/media/../settings.py", "/media/speakers/x.jpg", "/media/"):  # fmt: skip
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url


def test_a_file_used_by_a_public_item_is_public_even_if_a_draft_uses_it_too(client):
    image = make_image()
    make_release(lead_image=image, status=Status.DRAFT)
    make_speech(lead_image=image)
    assert statuses(client, urls_of(image)) == {HTTPStatus.OK}


def test_figures_in_a_text_follow_their_item(client, time_machine):
    image = make_image()
    lift = timezone.now() + timedelta(hours=1)
    body = f'<figure><img src="{image.url}" alt=""><figcaption>Flags.</figcaption></figure>'
    speech = make_speech(body=body, published_at=lift)
    assert list(speech.figure_links.values_list("image_id", flat=True)) == [image.pk]
    assert client.get(image.url).status_code == HTTPStatus.NOT_FOUND
    time_machine.move_to(lift + timedelta(seconds=1))
    assert client.get(image.url).status_code == HTTPStatus.OK
    speech.body = "<p>No picture now.</p>"
    speech.save()
    assert not speech.figure_links.exists()
    assert client.get(image.url).status_code == HTTPStatus.NOT_FOUND


def test_portraits_and_event_pictures_follow_their_speaker_and_event(client):
    portrait, picture = make_image(), make_image()
    hidden = make_speaker(portrait=portrait)
    event = make_event(lead_image=picture)
    assert client.get(portrait.url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(picture.url).status_code == HTTPStatus.NOT_FOUND
    make_release(speakers=[hidden], events=[event])  # a public release names them
    assert client.get(portrait.url).status_code == HTTPStatus.OK
    assert client.get(picture.url).status_code == HTTPStatus.OK


def test_withdrawn_items_keep_their_pictures_removed_ones_do_not(client):
    kept, gone = make_image(), make_image()
    for image, status in ((kept, Status.WITHDRAWN), (gone, Status.REMOVED)):
        item = make_release(lead_image=image)
        item.status, item.withdrawn_at, item.withdrawal_note = status, timezone.now(), "Note."
        item.save()
    assert client.get(kept.url).status_code == HTTPStatus.OK
    assert client.get(gone.url).status_code == HTTPStatus.NOT_FOUND


def test_documents_follow_the_releases_that_offer_them(client, staff_client, time_machine):
    document = Document(title="Annual Report", kind="report", language="en")
    pdf = b"%PDF-1.4\n%%EOF\n"
    document.file.save("report.pdf", SimpleUploadedFile("report.pdf", pdf), save=False)
    document.mime_type, document.file_size = "application/pdf", len(pdf)
    document.save()
    lift = timezone.now() + timedelta(hours=1)
    release = make_release(published_at=lift)
    release.downloads.create(document=document, position=0)
    url = document.href
    assert url.startswith("/media/documents/") and url.endswith("/report.pdf")
    assert client.__class__().get(url).status_code == HTTPStatus.NOT_FOUND
    assert staff_client.get(url).status_code == HTTPStatus.OK
    time_machine.move_to(lift + timedelta(seconds=1))
    response = client.__class__().get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="report.pdf"' in response["Content-Disposition"]


def test_the_proxy_sends_the_file_when_configured(client, settings):
    image = make_image()
    make_release(lead_image=image)
    settings.NEWSROOM_MEDIA_ACCEL_REDIRECT = "/protected-media/"
    response = client.get(image.url)
    assert response.status_code == HTTPStatus.OK and not response.content
    assert response["X-Accel-Redirect"] == f"/protected-media/{image.file.name}"
    settings.NEWSROOM_MEDIA_ACCEL_REDIRECT = ""
    settings.NEWSROOM_MEDIA_SENDFILE = True
    response = client.get(image.url)
    assert response["X-Sendfile"].endswith(image.file.name)
    # Hidden files are refused before the proxy is asked.
    hidden = make_image()
    make_release(lead_image=hidden, status=Status.DRAFT)
    assert client.get(hidden.url).status_code == HTTPStatus.NOT_FOUND


def test_media_files_take_only_safe_methods(client):
    image = make_image()
    make_release(lead_image=image)
    assert client.head(image.url).status_code == HTTPStatus.OK
    assert client.post(image.url).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_public_rule_costs_one_query(client, django_assert_max_num_queries):
    image = make_image()
    make_release(lead_image=image)
    with django_assert_max_num_queries(1):
        assert client.get(image.url).status_code == HTTPStatus.OK


def test_s3_storage_is_chosen_by_the_environment():
    """NEWSROOM_MEDIA_STORAGE=s3 selects django-storages' S3 backend (checked in a fresh
    interpreter); without a bucket the settings refuse to load."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django; django.setup(); from django.core.files.storage import storages; "
        "s = storages['default']; from django.conf import settings as c; "
        "print(type(s).__name__, s.bucket_name, s.default_acl, s.querystring_auth, "
        "c.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings",
           "NEWSROOM_MEDIA_STORAGE": "s3", "NEWSROOM_MEDIA_S3_BUCKET": "press-media",
           "NEWSROOM_MEDIA_S3_ENDPOINT_URL": "https://s3.example.org"}  # fmt: skip
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True,
                         text=True, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [
        "S3Storage",
        "press-media",
        "private",
        "True",
        "https://s3.example.org",
    ], "pages may show pictures from the bucket's host (the view redirects there)"
    del env["NEWSROOM_MEDIA_S3_BUCKET"]
    run = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True,
                         text=True, check=False)  # fmt: skip
    assert run.returncode != 0 and "Set NEWSROOM_MEDIA_S3_BUCKET" in run.stderr


def test_on_object_storage_the_view_hands_out_a_short_lived_signed_address(
    client, settings, monkeypatch
):
    image = make_image()
    make_release(lead_image=image)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key-id")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "press-media", "endpoint_url": "https://s3.example.org",
                        "region_name": "eu-west-1", "default_acl": "private",
                        "querystring_auth": True, "querystring_expire": 60},
        },
    }  # fmt: skip
    response = client.get(image.url)
    assert response.status_code == HTTPStatus.FOUND
    location = response["Location"]
    assert location.startswith(f"https://s3.example.org/press-media/{image.file.name}?")
    import time
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(location).query)
    assert query["Signature"] and query["AWSAccessKeyId"] == ["test-key-id"]
    assert 0 < int(query["Expires"][0]) - time.time() <= 61, "valid for a minute"
    assert "no-store" in response["Cache-Control"]
    hidden = Image.objects.create(credit="x", alt_text="y", file="images/" + "1" * 32 + ".jpg")
    assert client.get(hidden.url).status_code == HTTPStatus.NOT_FOUND
