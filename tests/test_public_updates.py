"""Issue 18, completed: minor or substantive changes ("Updated <time, zone>: <note>",
"Last updated", JSON-LD `dateModified` and `correction`, feeds), the review hint for an
edited quotation, the history of every step, and a speech's script beside its text as
delivered."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Release, Speech
from articles.querysets import ChangeKind, Status
from tests.factories import make_release, make_speech
from tests.support import form_data

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
CHECK, DELIVERED = Speech.Delivery.CHECK_AGAINST_DELIVERY, Speech.Delivery.AS_DELIVERED


def edit(client, item: Release, **changes):
    url = reverse("admin:articles_release_change", args=[item.pk])
    return client.post(url, form_data(item, **changes), follow=True)


def act(client, action: str, item, **extra):
    data = {"action": action, "_selected_action": [item.pk], **extra}
    return client.post(reverse("admin:articles_release_changelist"), data, follow=True)


def structured(body: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(found.group(1))


def days_ago(days: int):
    return timezone.now().replace(microsecond=0) - timedelta(days=days)


# --- minor or substantive ------------------------------------------------------------


def test_a_minor_change_moves_neither_last_updated_nor_date_modified(editor_client, client):
    item = make_release(title="Puffin census", published_at=days_ago(3))
    response = edit(editor_client, item, body="<p>Fixed a typo.</p>", change_kind="minor")
    assert response.status_code == HTTPStatus.OK
    item.refresh_from_db()
    assert item.body == "<p>Fixed a typo.</p>" and item.revised_at is None
    client.logout()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Last updated" not in page and "Changes to this page" not in page
    assert structured(page)["dateModified"] == item.published_at.isoformat()
    atom = ET.fromstring(client.get("/feeds/releases/atom/").content)
    entry = next(atom.iter(f"{ATOM}entry"))
    assert entry.find(f"{ATOM}updated").text == item.published_at.isoformat()


def test_a_substantive_change_shows_updated_with_time_zone_and_note_newest_first(
    editor_client, client
):
    item = make_release(title="Gannet colony", published_at=days_ago(3))
    edit(editor_client, item, summary="With the 2024 count.", change_kind="substantive",
         change_note="Added the 2024 count.")  # fmt: skip
    item.refresh_from_db()
    first = item.revised_at
    edit(editor_client, item, body="<p>There are 4,000 pairs.</p>", change_kind="correction",
         change_note="We said there were 400 pairs; there are 4,000.")  # fmt: skip
    item.refresh_from_db()
    assert item.revised_at > first
    client.logout()
    page = client.get(item.get_absolute_url()).content.decode()
    zone = timezone.localtime(item.revised_at).strftime("%Z")  # CET or CEST
    when = timezone.localtime(item.revised_at).strftime("%-d %B %Y, %H:%M")
    assert "Updated <time datetime=" in page and f"{when} {zone}</time></strong>: " in page
    assert page.index("We said there were 400 pairs") < page.index("Added the 2024 count.")
    assert '<strong class="changes__kind">Correction.</strong>' in page
    assert "Last updated" in page and f"{when} {zone}" in page
    data = structured(page)
    assert data["dateModified"] == item.revised_at.isoformat()
    # schema.org `correction`: the correction only, with its text and date.
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "We said there were 400 pairs; there are 4,000.",
            "datePublished": item.revised_at.isoformat(),
            "url": data["correction"][0]["url"],
        }
    ]
    assert "/versions/" in data["correction"][0]["url"]


def test_a_withdrawal_does_not_move_last_updated(editor_client, client):
    item = make_release(title="Tern tally", published_at=days_ago(3))
    act(editor_client, "withdraw", item, apply="1", note="Superseded by the 2025 tally.")
    client.logout()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Withdrawn on" in page and "Last updated" not in page


def test_feeds_re_announce_an_update_with_its_note(editor_client, client):
    item = make_release(title="Skua survey", summary="The lead.", published_at=days_ago(2))
    edit(editor_client, item, body="<p>Now 12 colonies.</p>", change_kind="correction",
         change_note="We said 10 colonies; there are 12.")  # fmt: skip
    item.refresh_from_db()
    client.logout()
    atom = ET.fromstring(client.get("/feeds/releases/atom/").content)
    entry = next(e for e in atom.iter(f"{ATOM}entry") if e.find(f"{ATOM}title").text == item.title)
    assert entry.find(f"{ATOM}updated").text == item.revised_at.isoformat()
    assert atom.find(f"{ATOM}updated").text == item.revised_at.isoformat()
    summary = entry.find(f"{ATOM}summary").text
    assert summary.startswith("Updated ") and "Correction. We said 10 colonies" in summary
    assert summary.endswith("The lead.")
    rss = ET.fromstring(client.get("/feeds/releases/").content)
    description = next(
        i.find("description").text for i in rss.iter("item") if i.find("title").text == item.title
    )
    assert description.startswith("<p><strong>Updated ")
    assert "We said 10 colonies; there are 12." in description


def test_a_press_officer_is_not_asked_and_cannot_announce(officer_client):
    item = make_release(title="Eider estimate")
    url = reverse("admin:articles_release_change", args=[item.pk])
    page = officer_client.get(url).content.decode()
    assert "This change is" not in page
    changes = {"title": "Eider estimate, revised", "change_kind": "correction",
               "change_note": "Sneaky."}  # fmt: skip
    officer_client.post(url, form_data(item, **changes))
    item.refresh_from_db()
    assert item.title == "Eider estimate" and item.revised_at is None  # a proposal only
    assert not item.change_notes


def test_the_change_form_offers_the_choice_with_plain_words(editor_client):
    item = make_release()
    page = editor_client.get(reverse("admin:articles_release_change", args=[item.pk]))
    body = page.content.decode()
    assert 'type="radio" name="change_kind"' in body
    assert "Minor: a typo or the layout" in body and "Substantive, a correction" in body


# --- the quotation hint --------------------------------------------------------------


def test_a_change_inside_quotation_marks_is_flagged_for_review_not_refused(editor_client):
    item = make_release(
        body="<p>Mr Stoltenberg said, “the data is clear.” Polls were held in May.</p>"
    )
    response = edit(
        editor_client,
        item,
        body="<p>Mr Stoltenberg said, “the data is very clear.” Polls were held in May.</p>",
        change_kind="correction",
        change_note="We quoted “the data is clear”; he said “the data is very clear”.",
    )
    body = response.content.decode()
    assert "this change edits a quotation" in body and "“the data is clear.”" in body
    item.refresh_from_db()
    assert "very clear" in item.body  # saved all the same


@pytest.mark.parametrize("kind", ["minor", "substantive"])
def test_a_change_outside_quotation_marks_is_not_flagged(editor_client, kind):
    item = make_release(body='<p>He said, "we stand together." Polls were held in May.</p>')
    note = "" if kind == "minor" else "The polls were held in June."
    response = edit(editor_client, item,
                    body='<p>He said, "we stand together." Polls were held in June.</p>',
                    change_kind=kind, change_note=note)  # fmt: skip
    assert "edits a quotation" not in response.content.decode()


def test_a_minor_change_to_a_quotation_is_flagged_too(editor_client):
    item = make_release(summary='He said "we stand together".')
    response = edit(editor_client, item, summary='He said "we all stand together".',
                    change_kind="minor")  # fmt: skip
    body = response.content.decode()
    assert "this change edits a quotation" in body and "save it again as an update" in body


# --- every step in the item's history --------------------------------------------------


def test_notes_withdrawal_and_removal_are_in_the_items_history(editor_client):
    item = make_release(title="Shag shoal", published_at=days_ago(2))
    edit(editor_client, item, body="<p>Typo fixed.</p>", change_kind="minor")
    item.refresh_from_db()
    edit(editor_client, item, body="<p>Now 30 shoals.</p>", change_kind="correction",
         change_note="We said 3 shoals; there are 30.")  # fmt: skip
    long_notice = "Withdrawn: the survey was repeated and its figures replace these. " * 5
    act(editor_client, "withdraw", item, apply="1", note=long_notice.strip())
    act(editor_client, "remove", item, apply="1", note="Removed on legal advice.")
    history = editor_client.get(reverse("admin:articles_release_history", args=[item.pk]))
    body = history.content.decode()
    assert "Minor change" in body
    assert "Correction</strong>: “We said 3 shoals; there are 30.”" in body
    assert long_notice.strip() in body  # the whole notice, not the 100-character reason
    assert "Removed: Removed on legal advice." in body
    item.refresh_from_db()
    assert item.status == Status.REMOVED


# --- a speech's script and its text as delivered ------------------------------------------


def script_then_transcript(**overrides) -> Speech:
    """A speech published as its script, then replaced by the transcript (an update)."""
    speech = make_speech(
        title="Address to the Assembly", body="<p>We will stand firm together.</p>",
        delivery_status=CHECK, published_at=days_ago(1), **overrides,
    )  # fmt: skip
    speech.save()  # the script, as released: a recorded public state
    speech.body = "<p>We will stand firm and united together.</p>"
    speech.delivery_status = DELIVERED
    speech._public_note = (ChangeKind.SUBSTANTIVE, "The text as delivered replaces the script.")
    speech.save()
    from articles import revisions

    revisions.refresh_latest_snapshot(speech, "Edited")
    return speech


def test_a_script_alone_says_check_against_delivery(client):
    speech = make_speech(delivery_status=CHECK, body="<p>Script words.</p>")
    speech.save()
    page = client.get(speech.get_absolute_url()).content.decode()
    assert "check against delivery" in page and "Script words." in page
    assert "Compare with the script as released" not in page
    assert client.get(f"{speech.get_absolute_url()}versions/script/changes/").status_code == 404


def test_the_delivered_text_offers_the_script_as_released_in_the_diff_view(client):
    speech = script_then_transcript()
    page = client.get(speech.get_absolute_url()).content.decode()
    assert "This is the text <strong>as delivered</strong>" in page
    assert "Compare with the script as released" in page
    assert "We will stand firm and united together." in page
    response = client.get(f"{speech.get_absolute_url()}versions/script/changes/")
    assert response.status_code == HTTPStatus.OK
    diff = response.content.decode()
    assert "compared with the script as released" in diff
    assert '<ins><span class="diff__label">added:</span> and united</ins>' in diff
    assert "Check against delivery" in diff


def test_a_script_never_public_is_never_compared(client):
    """A script held under embargo and rewritten before its lift, then the transcript: the
    embargoed script was never public, so there is nothing to compare with."""
    later = timezone.now() + timedelta(days=1)
    speech = make_speech(title="Embargoed address", body="<p>Secret script wording.</p>",
                         delivery_status=CHECK, published_at=later)  # fmt: skip
    speech.save()
    assert client.get(speech.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    url = f"{speech.get_absolute_url()}versions/script/changes/"
    response = client.get(url)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Embargoed address" not in response.content.decode()
    speech.body, speech.delivery_status = "<p>Delivered wording.</p>", DELIVERED
    speech.published_at = days_ago(0)
    speech.save()
    page = client.get(speech.get_absolute_url()).content.decode()
    assert "Compare with the script as released" not in page
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    for version in Speech.history.filter(id=speech.pk):
        for suffix in ("", "changes/"):
            body = client.get(f"{speech.get_absolute_url()}versions/{version.history_id}/{suffix}")
            assert "Secret script wording" not in body.content.decode()


def test_the_seed_shows_its_update_and_keeps_speech_004_as_delivered(client):
    call_command("loaddata", "seed", verbosity=0)
    speech = Speech.objects.get(slug="press-conference-ahead-of-defence-ministers-february-2021")
    page = client.get(speech.get_absolute_url()).content.decode()
    assert "This is the text <strong>as delivered</strong>" in page
    report = Release.objects.get(slug="secretary-general-launches-annual-report-2023")
    page = client.get(report.get_absolute_url()).content.decode()
    assert "14 March 2024, 17:00 CET</time></strong>: Expanded after the first version" in page
