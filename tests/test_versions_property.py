"""Property: whatever states an item went through, its public versions and diffs hold
only text that readers could read at some moment, and (if the item is public now) all
of it. Hypothesis draws the histories; the oracle below is written from the rule in
words, independently of `RevisionQuerySet.public_versions()`."""

from datetime import timedelta
from http import HTTPStatus
from itertools import count

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.querysets import Status
from tests.factories import make_release, make_speech

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]
_examples = count()

# A state: its status, and its publication time in hours from the moment it was saved
# (negative: already due; positive: an embargo that may or may not lift before the next).
STATE = st.tuples(
    st.sampled_from([Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED]),
    st.integers(min_value=-12, max_value=12),
)
GAP = timedelta(hours=5)  # between two saves: some embargoes lift in between, some not


def token(index: int) -> str:
    return f"quagga{chr(ord('a') + index)}mark"


def readers_saw(states, starts, now) -> set[str]:
    """The oracle: a state's text was public if it was published and its time came
    before the next state began (or, for the last, by now)."""
    seen = set()
    for index, ((status, _), start) in enumerate(zip(states, starts, strict=True)):
        published_at = start + timedelta(hours=states[index][1])
        end = starts[index + 1] if index + 1 < len(states) else None
        due = published_at < end if end else published_at <= now
        if status == Status.PUBLISHED and due:
            seen.add(token(index))
    return seen


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(states=st.lists(STATE, min_size=1, max_size=8))
def test_public_versions_and_diffs_hold_only_text_readers_saw(client, states):
    now = timezone.now()
    starts = [now - GAP * (len(states) - i) for i in range(len(states))]
    with transaction.atomic():
        item = make_release(title="Quagga release", slug=f"quagga-{next(_examples)}")
        for index, ((status, hours), start) in enumerate(zip(states, starts, strict=True)):
            item.status, item.published_at = status, start + timedelta(hours=hours)
            item.body = f"<p>Shared opening words.</p><p>{token(index)} closing words.</p>"
            item._history_date = start
            type(item).history.bulk_history_create([item], update=True)
        type(item).objects.filter(pk=item.pk).update(
            status=item.status, published_at=item.published_at, body=item.body
        )
        base = item.get_absolute_url()
        pages = [client.get(f"{base}versions/")]
        for revision in item.history.all():
            for suffix in ("", "changes/"):
                pages.append(client.get(f"{base}versions/{revision.history_id}/{suffix}"))
        assert {page.status_code for page in pages} <= {HTTPStatus.OK, HTTPStatus.NOT_FOUND}
        text = "".join(page.content.decode() for page in pages)
        seen = readers_saw(states, starts, now)
        for index in range(len(states)):
            if token(index) not in seen:
                assert token(index) not in text, f"state {index} was never public"
        if pages[0].status_code == HTTPStatus.OK:  # public now: every public text is offered
            for word in seen:
                assert word in text, f"{word} was public and is missing"
        transaction.set_rollback(True)


# A speech's state adds which text it is: its script ("Check against delivery") or the
# text as delivered.
SPEECH_STATE = st.tuples(STATE, st.sampled_from(["check-against-delivery", "as-delivered"]))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(states=st.lists(SPEECH_STATE, min_size=1, max_size=6))
def test_a_speechs_script_comparison_holds_only_a_script_readers_saw(client, states):
    now = timezone.now()
    starts = [now - GAP * (len(states) - i) for i in range(len(states))]
    plain = [state for state, _ in states]
    with transaction.atomic():
        item = make_speech(title="Quagga speech", slug=f"quagga-speech-{next(_examples)}")
        for index, (((status, hours), delivery), start) in enumerate(
            zip(states, starts, strict=True)
        ):
            item.status, item.published_at = status, start + timedelta(hours=hours)
            item.delivery_status = delivery
            item.body = f"<p>Shared opening words.</p><p>{token(index)} closing words.</p>"
            item._history_date = start
            type(item).history.bulk_history_create([item], update=True)
        type(item).objects.filter(pk=item.pk).update(
            status=item.status, published_at=item.published_at, body=item.body,
            delivery_status=item.delivery_status,
        )  # fmt: skip
        seen = readers_saw(plain, starts, now)
        page = client.get(f"{item.get_absolute_url()}versions/script/changes/")
        assert page.status_code in (HTTPStatus.OK, HTTPStatus.NOT_FOUND)
        text = page.content.decode()
        for index in range(len(states)):
            if token(index) not in seen:
                assert token(index) not in text, f"state {index} was never public"
        public_now = token(len(states) - 1) in seen
        scripts_seen = [
            index for index, (_, delivery) in enumerate(states[:-1])
            if delivery == "check-against-delivery" and token(index) in seen
        ]  # fmt: skip
        if public_now and states[-1][1] == "as-delivered" and scripts_seen:
            assert page.status_code == HTTPStatus.OK
            assert token(scripts_seen[-1]) in text  # the newest script readers saw
        else:
            assert page.status_code == HTTPStatus.NOT_FOUND
        transaction.set_rollback(True)
