"""Issue 18: change notes, public earlier versions and diffs, withdrawal (readable with a
notice, listed nowhere) and removal (410), the corrections record and its feeds."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from http import HTTPStatus
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Release
from articles.querysets import ChangeKind, Status
from tests.factories import make_event, make_release, make_speaker, make_speech
from tests.support import form_data

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:articles_release_changelist"
ATOM = "{http://www.w3.org/2005/Atom}"


def act(client, action: str, *items, **extra):
    data = {"action": action, "_selected_action": [item.pk for item in items], **extra}
    return client.post(reverse(CHANGELIST), data, follow=True)


def edit(client, item: Release, **changes):
    """Save the item's change form as an editor would, with `changes`."""
    url = reverse("admin:articles_release_change", args=[item.pk])
    return client.post(url, form_data(item, **changes), follow=True)


def withdraw(client, item, note="Withdrawn: the figures were superseded by the 2024 report."):
    return act(client, "withdraw", item, apply="1", note=note)


def remove(client, item, note="Removed at the request of a court."):
    return act(client, "remove", item, apply="1", note=note)


# --- withdrawal ----------------------------------------------------------------------


def test_a_withdrawn_release_leaves_every_list_but_its_page_stays_readable(editor_client, client):
    speaker = make_speaker(slug="jens", listed=True)
    event = make_event(slug="summit", listed=True)
    item = make_release(title="Walrus census", tags=["Arctic"], speakers=[speaker], events=[event])
    withdraw(editor_client, item, note="The census counted one herd twice.")
    client.logout()
    for url in ("/", "/releases/", "/releases/?tag=arctic", "/search/?q=walrus",
                "/feeds/releases/", "/feeds/releases/atom/", "/sitemap-releases.xml",
                "/speakers/jens/", "/events/summit/", "/archive/"):  # fmt: skip
        assert "Walrus census" not in client.get(url).content.decode(), url
    assert client.get("/tags/arctic/").status_code == HTTPStatus.NOT_FOUND  # no public item
    page = client.get(item.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert "Walrus census" in body and "Withdrawn on" in body
    assert "The census counted one herd twice." in body
    record = client.get("/corrections/").content.decode()
    assert "Withdrawn" in record and "Walrus census" in record
    assert "The census counted one herd twice." in record


def test_only_an_editor_withdraws_and_only_a_live_item(editor_client):
    draft = make_release(title="Draft dugong", status=Status.DRAFT)
    embargoed = make_release(published_at=timezone.now() + timedelta(hours=2))
    response = withdraw(editor_client, draft)
    assert "not withdrawn: only a live item" in response.content.decode()
    withdraw(editor_client, embargoed)
    for item in (draft, embargoed):
        item.refresh_from_db()
        assert item.status != Status.WITHDRAWN
    # An embargo taken down stays out of /corrections/: it was never public.
    assert Release.objects.withdrawn().count() == 0


def test_withdrawing_asks_for_the_notice_first(editor_client):
    item = make_release()
    page = act(editor_client, "withdraw", item)  # no notice yet: the intermediate page
    assert "Public notice" in page.content.decode()
    empty = act(editor_client, "withdraw", item, apply="1", note="   ")
    assert "Write the notice readers will see: it cannot be empty." in empty.content.decode()
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


def test_a_withdrawn_item_is_view_only_in_the_admin(editor_client):
    item = make_release(title="Seal count")
    withdraw(editor_client, item)
    response = edit(editor_client, item, title="Rewritten while withdrawn")
    assert response.status_code == HTTPStatus.FORBIDDEN
    item.refresh_from_db()
    assert item.title == "Seal count"
    page = editor_client.get(reverse("admin:articles_release_change", args=[item.pk]))
    assert "Withdrawn from the public site" in page.content.decode()


def test_publishing_a_withdrawn_item_again_drops_the_notice_and_keeps_its_date(editor_client):
    item = make_release()
    first = item.published_at
    edit(editor_client, item)  # a first recorded state, so its first publication is known
    item.refresh_from_db()
    withdraw(editor_client, item)
    act(editor_client, "publish_now", item)
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.published_at == first
    assert item.withdrawn_at is None and item.withdrawal_note == ""
    assert "Withdrawn on" not in editor_client.get(item.get_absolute_url()).content.decode()


# --- removal -------------------------------------------------------------------------


def test_a_removed_item_answers_410_with_its_title_dates_and_note(editor_client, client):
    first = timezone.now() - timedelta(days=2)
    item = make_release(title="Libellous lemming", slug="libellous-lemming", published_at=first)
    edit(editor_client, item, change_kind="minor")
    version = item.history.public_versions().order_by("history_date").last()
    remove(editor_client, item, note="Removed on legal advice.")
    item.refresh_from_db()
    client.logout()
    base = item.get_absolute_url()
    for url in (base, f"{base}versions/", f"{base}versions/{version.history_id}/"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.GONE, url
        assert response["X-Robots-Tag"] == "noindex"
        body = response.content.decode()
        assert "Removed on legal advice." in body and "has been removed" in body
        assert "<dd>Libellous lemming</dd>" in body  # the note names what was removed
        published = timezone.localtime(first).strftime("%-d %B %Y")
        removed = timezone.localtime(item.withdrawn_at).strftime("%-d %B %Y")
        assert "First published" in body and "Removed</dt>" in body
        assert published in body and removed in body
        assert item.body not in body  # the text itself is gone
    # The record names the removal, not the item: its line is read without its address.
    record = client.get("/corrections/").content.decode()
    assert "Removed on legal advice." in record and "A release was removed" in record
    assert "Libellous lemming" not in record and "libellous-lemming" not in record
    feed = client.get("/feeds/corrections/").content.decode()
    assert "Removed: a release" in feed and "Libellous" not in feed


def test_a_removal_never_names_an_item_that_was_never_public(editor_client, client):
    """An embargoed or draft item cannot be removed (only what readers could read), so
    its address stays a plain 404 and its title appears nowhere."""
    later = timezone.now() + timedelta(hours=2)
    embargoed = make_release(title="Embargoed eel", slug="embargoed-eel", published_at=later)
    draft = make_release(title="Draft dace", slug="draft-dace", status=Status.DRAFT)
    remove(editor_client, embargoed, draft)
    client.logout()
    for item in (embargoed, draft):
        item.refresh_from_db()
        assert item.status != Status.REMOVED
        response = client.get(item.get_absolute_url())
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert item.title not in response.content.decode()
    assert "Embargoed eel" not in client.get("/corrections/").content.decode()


def test_a_withdrawn_item_can_be_removed_but_a_draft_cannot(editor_client):
    withdrawn, draft = make_release(), make_release(status=Status.DRAFT)
    withdraw(editor_client, withdrawn)
    remove(editor_client, withdrawn, draft)
    withdrawn.refresh_from_db()
    draft.refresh_from_db()
    assert withdrawn.status == Status.REMOVED and draft.status == Status.DRAFT


def test_an_unknown_address_is_still_404_not_410(client):
    assert client.get("/releases/never-was/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/releases/never-was/versions/").status_code == HTTPStatus.NOT_FOUND


# --- change notes --------------------------------------------------------------------


def test_a_correction_note_shows_on_the_page_the_record_and_the_feeds(editor_client, client):
    item = make_release(title="Fjord report", body="<p>The meeting was on 12 March.</p>")
    note = "We said the meeting was on 12 March; it was on 14 March."
    response = edit(
        editor_client, item, body="<p>The meeting was on 14 March.</p>",
        change_kind=ChangeKind.CORRECTION, change_note=note,
    )  # fmt: skip
    assert response.status_code == HTTPStatus.OK
    client.logout()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Changes to this page" in page and "Correction" in page and note in page
    record = client.get("/corrections/").content.decode()
    assert "Fjord report" in record and note in record
    rss = ET.fromstring(client.get("/feeds/corrections/").content)
    titles = [node.text for node in rss.iter("title")]
    assert "Correction: Fjord report" in titles
    atom = ET.fromstring(client.get("/feeds/corrections/atom/").content)
    entries = list(atom.iter(f"{ATOM}entry"))
    assert len(entries) == 1 and note in entries[0].find(f"{ATOM}summary").text
    # What changed, word by word, labelled in words and not by colour alone.
    latest = item.history.public_versions().order_by("history_date").last()
    diff = client.get(f"{item.get_absolute_url()}versions/{latest.history_id}/changes/")
    html = diff.content.decode()
    assert '<del><span class="diff__label">removed:</span> 12</del>' in html
    assert '<ins><span class="diff__label">added:</span> 14</ins>' in html


def test_an_update_is_on_the_page_but_not_in_the_corrections_record(editor_client, client):
    item = make_release(title="Glacier update")
    edit(editor_client, item, summary="Now with the 2024 figures.",
         change_kind=ChangeKind.SUBSTANTIVE, change_note="Added the 2024 figures.")  # fmt: skip
    client.logout()
    assert "Added the 2024 figures." in client.get(item.get_absolute_url()).content.decode()
    assert "Glacier update" not in client.get("/corrections/").content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"change_kind": "correction"}, "Readers need a note for an update or a correction"),
        ({"change_kind": "", "change_note": "Something."}, "Say whether this change is minor"),
        ({"change_kind": ""}, "Say whether this change is minor"),
        ({"change_kind": "minor", "change_note": "x"}, "A minor change has no public note"),
        ({"change_kind": "minor", "change_note": "x", "status": "draft"},
         "This save takes the item off the public site"),
    ],
)  # fmt: skip
def test_a_change_note_that_cannot_be_right_is_refused(editor_client, changes, message):
    item = make_release(title="Narwhal note")
    response = edit(editor_client, item, title="Narwhal note, edited", **changes)
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Narwhal note"  # nothing saved, nothing lost: the form keeps it


def test_a_note_on_an_item_that_is_not_live_is_refused(editor_client):
    item = make_release(status=Status.DRAFT)
    response = edit(editor_client, item, change_kind="minor", change_note="Typo.")
    assert "This item is not live" in response.content.decode()


# --- versions ------------------------------------------------------------------------


def test_text_written_under_embargo_or_in_draft_is_never_an_earlier_version(editor_client, client):
    later = timezone.now() + timedelta(hours=3)
    item = make_release(title="Orca", body="<p>Public wording.</p>")
    edit(editor_client, item, body="<p>Public wording.</p><p>Second public line.</p>")
    item.refresh_from_db()
    # Back to draft, text rewritten there, then scheduled: the draft and the embargoed
    # text never reach readers, then published text replaces them.
    act(editor_client, "back_to_draft", item)
    item.refresh_from_db()
    edit(editor_client, item, body="<p>Secret draft wording.</p>", status="draft")
    act(editor_client, "schedule", item, apply="1",
        publish_at_0=timezone.localtime(later).strftime("%Y-%m-%d"),
        publish_at_1=timezone.localtime(later).strftime("%H:%M:%S"))  # fmt: skip
    item.refresh_from_db()
    edit(editor_client, item, body="<p>Embargoed wording.</p>")
    item.refresh_from_db()
    edit(editor_client, item, body="<p>Release wording.</p>")  # still under embargo
    item.refresh_from_db()
    act(editor_client, "publish_now", item)  # the text of that moment goes live
    item.refresh_from_db()
    edit(editor_client, item, body="<p>Final public wording.</p>",
         change_kind="substantive", change_note="Rewritten.")  # fmt: skip
    client.logout()
    base = item.get_absolute_url()
    pages = {f"{base}versions/": client.get(f"{base}versions/").content.decode()}
    for version in item.history.all():
        for suffix in ("", "changes/"):
            url = f"{base}versions/{version.history_id}/{suffix}"
            response = client.get(url)
            assert response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_FOUND)
            pages[url] = response.content.decode()
    text = "\n".join(pages.values())
    assert "Public wording." in text and "Release wording." in text
    assert "Final public wording." in text
    for url, page in pages.items():
        assert "Secret draft wording" not in page and "Embargoed wording" not in page, url


def test_a_version_of_another_item_or_never_public_is_404(editor_client, client):
    one, other = make_release(), make_release()
    edit(editor_client, one, title="Edited one")
    edit(editor_client, other, status="draft", title="Hidden edit")
    client.logout()
    theirs = one.history.first().history_id
    hidden = other.history.filter(title="Hidden edit").get().history_id
    base = other.get_absolute_url()
    assert client.get(f"{base}versions/{theirs}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"{one.get_absolute_url()}versions/{uuid4()}/").status_code == 404
    assert client.get(f"{one.get_absolute_url()}versions/not-a-uuid/").status_code == 404
    assert client.get(f"{base}versions/{hidden}/").status_code == HTTPStatus.NOT_FOUND


def test_the_first_version_has_no_changes_page(editor_client, client):
    item = make_release()
    edit(editor_client, item, title="Second title")
    first = item.history.public_versions().order_by("history_date").first()
    url = f"{item.get_absolute_url()}versions/{first.history_id}/changes/"
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_speeches_have_versions_and_withdrawals_too(editor_client, client):
    speech = make_speech(title="Remarks on ice")
    editor_client.post(
        reverse("admin:articles_speech_changelist"),
        {"action": "withdraw", "_selected_action": [speech.pk], "apply": "1",
         "note": "Delivered text differed; see the corrected transcript."},
    )  # fmt: skip
    client.logout()
    page = client.get(speech.get_absolute_url()).content.decode()
    assert "Withdrawn on" in page and "Delivered text differed" in page
    assert "Remarks on ice" not in client.get("/speeches/").content.decode()
    assert client.get(f"{speech.get_absolute_url()}versions/").status_code == HTTPStatus.OK


# --- cache ---------------------------------------------------------------------------


def test_a_withdrawal_reaches_every_cached_surface_at_once(editor_client, client, settings):
    settings.NEWSROOM_PAGE_CACHE = True
    item = make_release(title="Cached capybara", tags=["Arctic"])
    editor_client.logout()
    urls = ["/releases/", "/feeds/releases/", "/corrections/", item.get_absolute_url()]
    for url in urls:  # warm: each page is cached for readers
        client.get(url)
    assert client.get("/releases/")["X-Newsroom-Cache"] == "hit"
    editor_client.force_login(_editor())
    withdraw(editor_client, item, note="Withdrawn for the cache test.")
    client.logout()
    assert "Cached capybara" not in client.get("/releases/").content.decode()
    assert "Cached capybara" not in client.get("/feeds/releases/").content.decode()
    assert "Withdrawn for the cache test." in client.get("/corrections/").content.decode()
    assert "Withdrawn on" in client.get(item.get_absolute_url()).content.decode()


def _editor():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="edith")


def test_a_revision_cannot_be_restored_onto_a_withdrawn_item(editor_client):
    item = make_release(title="Original heading")
    edit(editor_client, item, title="Second heading")
    first = item.history.order_by("history_date").first()
    withdraw(editor_client, item)
    url = reverse("admin:articles_release_restore", args=[item.pk, first.history_id])
    response = editor_client.post(url, follow=True)
    assert "withdrawn or removed, so its text cannot change" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Second heading"


def test_the_change_notes_read_without_the_detail_column_match_the_page(editor_client):
    item = make_release()
    edit(editor_client, item, change_kind="substantive", change_note="Added a figure.")
    notes = Release.objects.get(pk=item.pk).change_notes  # not read through for_detail()
    column = Release.objects.for_detail().get(pk=item.pk).change_notes
    assert notes == column and [note.note for note in notes] == ["Added a figure."]
