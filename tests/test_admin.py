"""The press officers' workspace: changelists, forms, actions."""

from datetime import UTC, timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Release
from articles.querysets import Status
from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = pytest.mark.django_db

MODELS = ["release", "speech", "speaker", "event"]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_add_and_change_pages_load(staff_client, model):
    objects = {
        "release": make_release,
        "speech": make_speech,
        "speaker": make_speaker,
        "event": make_event,
    }
    obj = objects[model]()
    for url in (
        reverse(f"admin:articles_{model}_changelist"),
        reverse(f"admin:articles_{model}_add"),
        reverse(f"admin:articles_{model}_change", args=[obj.pk]),
    ):
        assert staff_client.get(url).status_code == HTTPStatus.OK, url


def test_tag_admin_loads(staff_client):
    make_release(tags=["Ukraine"])
    assert staff_client.get(reverse("admin:taggit_tag_changelist")).status_code == HTTPStatus.OK


def test_changelist_shows_visibility_at_a_glance(staff_client):
    make_release(title="Live one")
    make_release(title="Draft one", status=Status.DRAFT)
    make_release(title="Review one", status=Status.IN_REVIEW)
    make_release(title="Embargoed one", published_at=timezone.now() + timedelta(days=1))
    body = staff_client.get(reverse("admin:articles_release_changelist")).content.decode()
    for label in ("Live", "Draft", "In review", "Embargoed until"):
        assert label in body
    assert "CET" in body or "CEST" in body  # times name the zone


@pytest.mark.parametrize(
    "query", ["?status__exact=draft", "?kind__exact=news", "?q=live", "?published_at__year=2024"]
)
def test_changelist_filters_and_search(staff_client, query):
    make_release(title="Live one")
    url = reverse("admin:articles_release_changelist") + query
    assert staff_client.get(url).status_code == HTTPStatus.OK


def test_autocomplete_for_speakers_and_events(staff_client):
    make_speaker(name="Jens Stoltenberg")
    make_event(name="Vilnius Summit")
    url = reverse("admin:autocomplete")
    for model, term, expected in (
        ("speaker", "jens", "Jens Stoltenberg"),
        ("event", "vil", "Vilnius Summit"),
    ):
        field = "speakers" if model == "speaker" else "events"
        response = staff_client.get(
            url,
            {"app_label": "articles", "model_name": "release", "field_name": field, "term": term},
        )
        assert response.status_code == HTTPStatus.OK
        assert [r["text"] for r in response.json()["results"]] == [expected]


def test_publish_and_back_to_draft_actions(staff_client):
    draft = make_release(status=Status.DRAFT, published_at=timezone.now() + timedelta(days=3))
    url = reverse("admin:articles_release_changelist")
    response = staff_client.post(
        url, {"action": "publish_now", "_selected_action": [draft.pk]}, follow=True
    )
    assert "Published 1 item" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert Release.objects.public().filter(pk=draft.pk).exists()

    staff_client.post(url, {"action": "back_to_draft", "_selected_action": [draft.pk]})
    assert not Release.objects.public().filter(pk=draft.pk).exists()


def test_add_release_through_the_form_sanitises_the_body(staff_client):
    speaker = make_speaker()
    from taggit.models import Tag

    ukraine, sweden = Tag.objects.create(name="Ukraine"), Tag.objects.create(name="Sweden")
    response = staff_client.post(
        reverse("admin:articles_release_add"),
        {
            "title": "New release",
            "slug": "new-release",
            "kind": "news",
            "summary": "Lead",
            "body": '<p>Text<script>alert(1)</script></p><p onclick="x">more</p>',
            "status": "draft",
            "published_at_0": "2024-03-14",
            "published_at_1": "17:08:00",
            "speakers": [speaker.pk],
            "tags": [ukraine.pk, sweden.pk],  # picked by the autocomplete: their ids
            "source": "NATO",
            "downloads-TOTAL_FORMS": 0,  # the Downloads inline, empty
            "downloads-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    release = Release.objects.get(slug="new-release")
    assert "script" not in release.body and "onclick" not in release.body
    assert sorted(release.tags.names()) == ["Sweden", "Ukraine"]
    # Entered in the newsroom's zone: 17:08 in Brussels in March is 16:08 UTC.
    assert release.published_at.astimezone(UTC).hour == 16


def test_view_on_site_link(staff_client):
    release = make_release()
    body = staff_client.get(
        reverse("admin:articles_release_change", args=[release.pk])
    ).content.decode()
    assert "View on site" in body


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("admin:articles_release_changelist"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


# --- changelists at archive scale (issue 7) ------------------------------------------


def fill(count: int) -> None:
    speakers = [make_speaker() for _ in range(3)]
    event = make_event()
    for n in range(count):
        status = Status.DRAFT if n % 5 == 0 else Status.PUBLISHED
        make_release(
            speakers=speakers[:2], tags=["Ukraine", "Arctic"], events=[event], status=status
        )
        make_speech(speakers=speakers[1:], tags=["Ukraine"], event=event, status=status)


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(
    ("model", "budget"),
    # Session and user, the count, the page (the speech's speakers: two more), both ends
    # of the archive and at most three drill-down queries (a list within one month).
    [("release", 9), ("speech", 11)],
)
@pytest.mark.parametrize(
    "query", ["", "?visibility=live", "?tag=ukraine", "?speaker=speaker", "?q=number"]
)
def test_changelist_queries_do_not_grow(
    staff_client, django_assert_max_num_queries, count, model, budget, query
):
    fill(count)
    url = reverse(f"admin:articles_{model}_changelist") + query
    # A search also reads the speakers' and tags' names, in one query (admin/search.py);
    # on PostgreSQL it turns sequential scans off and back on, in a transaction (here a
    # savepoint and its release): four more.
    searching = query.startswith("?q=")
    extra = (1 + 4 * (connection.vendor == "postgresql")) if searching else 0
    with django_assert_max_num_queries(budget + extra):
        assert staff_client.get(url).status_code == HTTPStatus.OK


def at(*args) -> timezone.datetime:
    """A moment in the newsroom's zone."""
    return timezone.make_aware(timezone.datetime(*args))


@pytest.fixture
def dated_archive():
    """Items either side of a new year in the newsroom's zone (UTC is an hour behind),
    a gap year, a lone draft and a tag."""
    for moment, status, tags in [
        (at(2019, 6, 15, 12, 0), Status.PUBLISHED, ["Ukraine"]),
        (at(2021, 12, 31, 23, 30), Status.PUBLISHED, []),
        (at(2022, 1, 1, 0, 30), Status.PUBLISHED, ["Ukraine"]),
        (at(2022, 1, 20, 9, 0), Status.PUBLISHED, []),
        (at(2024, 3, 14, 17, 8), Status.DRAFT, []),
    ]:
        make_release(published_at=moment, status=status, tags=tags)
        make_speech(published_at=moment, delivered_on=moment.date(), status=status, tags=tags)


@pytest.mark.parametrize("model", ["release", "speech"])
@pytest.mark.parametrize(
    "query",
    [
        "",  # the whole archive: index seeks
        "?{f}__year=2021",
        "?{f}__year=2022",
        "?{f}__year=2022&{f}__month=1",
        "?{f}__year=2022&{f}__month=1&{f}__day=1",
        "?{f}__year=2020",  # a year without items
        "?visibility=draft",  # one item: opens on its month's days, like Django
        "?visibility=live",
        "?tag=ukraine",
        "?q=no-such-words",
        "?{f}__month=1",
    ],
)
def test_date_drill_down_offers_what_djangos_would(staff_client, dated_archive, model, query):
    """The same years, months, days, links and level as Django's own date_hierarchy."""
    from django.contrib.admin.templatetags.admin_list import date_hierarchy

    field = {"release": "published_at", "speech": "delivered_on"}[model]
    url = reverse(f"admin:articles_{model}_changelist") + query.format(f=field)
    response = staff_client.get(url)
    assert response.status_code == HTTPStatus.OK
    changelist = response.context["cl"]
    assert changelist.date_drilldown == date_hierarchy(changelist)


def test_date_drill_down_skips_a_year_without_items(staff_client, dated_archive):
    body = staff_client.get(reverse("admin:articles_release_changelist")).content.decode()
    for year in ("2019", "2021", "2022", "2024"):
        assert f"published_at__year={year}" in body
    assert "published_at__year=2020" not in body


def test_speaker_and_tag_filters_are_typed_not_listed(staff_client):
    jens = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    make_speaker(name="Unrelated Person")
    quoted = make_release(title="Quoting him", speakers=[jens], tags=["Ukraine"])
    other = make_release(title="Quoting nobody", tags=["Ukraine support"])
    url = reverse("admin:articles_release_changelist")

    body = staff_client.get(url).content.decode()
    assert "Unrelated Person" not in body  # the sidebar does not list every speaker
    assert 'name="speaker"' in body and 'name="tag"' in body

    def titles(query: str) -> set[str]:
        response = staff_client.get(url + query)
        assert response.status_code == HTTPStatus.OK
        return {item.title for item in response.context["cl"].result_list}

    assert titles("?speaker=stolten") == {quoted.title}  # part of the name
    assert titles("?speaker=jens-stoltenberg") == {quoted.title}  # the public site's slug
    assert titles("?tag=UKRAINE") == {quoted.title}  # the tag's exact name, any case
    assert titles("?tag=ukraine-support") == {other.title}  # or its slug
    assert titles("?tag=ukr") == set()
    assert titles("?speaker=nobody") == set()


def test_speaker_box_keeps_the_other_filters(staff_client):
    make_release()
    url = reverse("admin:articles_release_changelist") + "?status__exact=draft&q=release"
    body = staff_client.get(url).content.decode()
    assert '<input type="hidden" name="status__exact" value="draft">' in body
    assert '<input type="hidden" name="q" value="release">' in body
