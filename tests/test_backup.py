"""Backups round-trip exactly: dump the archive, load it into an empty database, compare."""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from articles.models import Event, Release, Speaker, Speech
from tests.factories import make_speaker, make_speech

pytestmark = pytest.mark.django_db(transaction=True)

# The documented backup command (README, "Backup and restore").
BACKUP_ARGS = [
    "--natural-foreign", "--natural-primary",
    "--exclude", "contenttypes", "--exclude", "auth.permission",
    "--exclude", "sessions", "--exclude", "axes", "--exclude", "articles.contentversion",
]  # fmt: skip


def item_state(item) -> dict:
    fields = {f.attname: getattr(item, f.attname) for f in item._meta.concrete_fields}
    fields.pop("id")
    fields["tags"] = sorted(item.tags.names())
    if isinstance(item, Speech):
        fields["event_id"] = item.event.slug if item.event_id else None
        fields["speakers"] = [s.slug for s in item.speaker_list]
    else:
        fields["speakers"] = sorted(item.speakers.values_list("slug", flat=True))
        fields["events"] = sorted(item.events.values_list("slug", flat=True))
    revisions = []
    for record in item.history.order_by("history_date"):
        data = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
        data.pop("id")
        data.pop("history_relation_id")
        data["history_user_id"] = record.history_user.username if record.history_user else None
        revisions.append(data)
    fields["revisions"] = revisions
    return fields


def archive_state() -> dict:
    return {
        "releases": {r.slug: item_state(r) for r in Release.objects.all()},
        "speeches": {s.slug: item_state(s) for s in Speech.objects.all()},
        "speakers": list(
            Speaker.objects.values("slug", "name", "role", "organisation", "country", "bio")
        ),
        "events": list(
            Event.objects.values("slug", "name", "kind", "start_on", "end_on", "location")
        ),
        "event_tags": {e.slug: sorted(e.tags.names()) for e in Event.objects.all()},
        "users": {
            u.username: sorted(u.groups.values_list("name", flat=True)) for u in User.objects.all()
        },
    }


def test_dump_and_restore_into_an_empty_database_is_exact(tmp_path: Path):
    call_command("loaddata", "seed", verbosity=0)
    editor = User.objects.create_user("edith", password="long-password-9", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    # A speech whose speakers are not in alphabetical order, and a revision by a user.
    first, second = make_speaker(slug="zz-first"), make_speaker(slug="aa-second")
    speech = make_speech(slug="ordered-speech", speakers=[first, second], tags=["Ukraine"])
    speech.title = "Ordered speech, corrected"
    speech._history_user = editor
    speech.save()
    # A deleted item takes its revisions with it; nothing may point at it in the backup.
    gone = make_speech(slug="deleted-speech")
    gone.title = "About to go"
    gone.save()
    gone.delete()
    before = archive_state()
    assert len(before["releases"]) == 8 and before["speeches"]["ordered-speech"]["revisions"]

    backup = tmp_path / "backup.json"
    call_command("dumpdata", *BACKUP_ARGS, "--output", str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Release.objects.exists()
    call_command("loaddata", str(backup), verbosity=0)

    after = archive_state()
    for key in before:
        if isinstance(before[key], dict):
            for name in before[key]:
                assert after[key].get(name) == before[key][name], (key, name)
    assert after == before


def test_naive_datetimes_in_a_fixture_are_refused(tmp_path: Path):
    call_command("loaddata", "seed", verbosity=0)
    fixture = tmp_path / "naive.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "articles.release",
                    "fields": {
                        "title": "Naive",
                        "slug": "naive-release",
                        "status": "published",
                        "published_at": "2030-01-01T09:00:00",
                        "updated_at": "2030-01-01T09:00:00Z",
                        "kind": "news",
                        "body": "",
                        "summary": "",
                        "source": "NATO",
                    },
                }
            ]
        )
    )
    with pytest.raises(ValueError, match="has no time zone"):
        call_command("loaddata", str(fixture), verbosity=0)
    assert not Release.objects.filter(slug="naive-release").exists()


def test_media_round_trip_restores_rows_and_files(tmp_path: Path, settings, client):
    """The documented backup (README): the dump and a copy of MEDIA_ROOT. Restored into
    an empty database and an empty media directory, every picture, rendition, document,
    lead image, figure and download is back and served."""
    import shutil

    from django.core.files.base import ContentFile

    from newsroom.media.models import Document, Image
    from tests.factories import make_image, make_release

    settings.MEDIA_ROOT = tmp_path / "media"
    image = make_image(alt_text="Flags", credit="NATO / Jane Doe")
    figure = make_image(alt_text="Snow", credit="NATO / Arctic")
    document = Document(title="Annual Report", kind="report", language="en")
    document.file.save("report.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.mime_type, document.file_size = "application/pdf", 15
    document.save()
    body = f'<p>Text.</p><figure><img src="{figure.url}" alt=""><figcaption>C</figcaption></figure>'
    release = make_release(slug="pictured", lead_image=image, body=body)
    release.downloads.create(document=document, position=1)
    before = {
        "images": sorted(Image.objects.values_list("key", "alt_text", "credit", "renditions")),
        "lead": Release.objects.get(slug="pictured").lead_image.key,
        "figures": list(release.figure_links.values_list("image__key", flat=True)),
        "downloads": list(release.downloads.values_list("document__key", "position")),
    }
    urls = [image.url, figure.url, document.href] + [
        f"/media/{row['name']}" for row in image.renditions
    ]

    backup = tmp_path / "backup.json"
    call_command("dumpdata", *BACKUP_ARGS, "--output", str(backup), verbosity=0)
    shutil.copytree(settings.MEDIA_ROOT, tmp_path / "media-backup")
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Image.objects.exists()

    shutil.copytree(tmp_path / "media-backup", settings.MEDIA_ROOT)
    call_command("loaddata", str(backup), verbosity=0)

    restored = Release.objects.get(slug="pictured")
    after = {
        "images": sorted(Image.objects.values_list("key", "alt_text", "credit", "renditions")),
        "lead": restored.lead_image.key,
        "figures": list(restored.figure_links.values_list("image__key", flat=True)),
        "downloads": list(restored.downloads.values_list("document__key", "position")),
    }
    assert after == before
    for url in urls:
        assert client.get(url).status_code == 200, url
