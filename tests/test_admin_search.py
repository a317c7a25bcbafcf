"""The admin's search finds what the public search finds (issue 22): the same engine,
case- and accent-insensitive, across title, summary and body, speakers' names and tags."""

import pytest
from django.db import connection
from django.urls import reverse

from articles.admin.search import admin_search
from articles.models import Release
from articles.querysets import Status
from tests.factories import make_release, make_speaker, make_speech

pytestmark = pytest.mark.django_db


def found(client, model: str, term: str) -> list[str]:
    response = client.get(reverse(f"admin:articles_{model}_changelist"), {"q": term})
    assert response.status_code == 200
    return sorted(item.title for item in response.context["cl"].result_list)


def test_accents_and_case_do_not_matter(staff_client):
    make_release(title="Deputy Secretary General Geoană in Kyiv")
    make_release(title="Other news", body="<p>Mircea GEOANĂ met the ministers.</p>")
    make_release(title="Unrelated")
    assert found(staff_client, "release", "geoana") == [
        "Deputy Secretary General Geoană in Kyiv",
        "Other news",
    ]


def test_speakers_names_and_tags_are_searched(staff_client):
    jens = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    make_speech(title="Remarks at the summit", speakers=[jens])
    make_speech(title="Doorstep", tags=["Maritime security"])
    make_speech(title="Nothing to do with it")
    assert found(staff_client, "speech", "stoltenberg") == ["Remarks at the summit"]
    assert found(staff_client, "speech", "MARITIME") == ["Doorstep"]


def test_a_slug_finds_its_item_and_odd_input_is_no_error(staff_client):
    make_release(title="By its slug", slug="by-its-slug")
    assert found(staff_client, "release", "by-its-slug") == ["By its slug"]
    for term in ['"', "-", "((", "title:*", "NEAR"]:
        found(staff_client, "release", term)  # answers 200, whatever it finds


def test_search_counts_and_pages_with_the_other_filters(staff_client):
    for number in range(3):
        make_release(title=f"Cyber defence update {number}")
    make_release(title="Cyber defence draft", status=Status.DRAFT)
    make_release(title="Sea trials")
    url = reverse("admin:articles_release_changelist")
    response = staff_client.get(url, {"q": "cyber defence", "status__exact": "draft"})
    assert response.context["cl"].result_count == 1
    response = staff_client.get(url, {"q": "cyber defence"})
    assert response.context["cl"].result_count == 4
    assert "4 results" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_sqlite_walks_the_list_order_and_tests_each_row(staff_client):
    """The search's parts are tests of the row (`+id IN`): SQLite walks the changelist's
    order index and stops after a page, rather than reading every match of every part
    and sorting them (1.3 s a page for "nato" at 100,000 items)."""
    make_release(title="NATO summit", tags=["NATO summit"])
    queryset = admin_search(Release.objects.order_by("-published_at", "-id"), "nato")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " / ".join(row[3] for row in cursor.fetchall())
    assert "release_order_idx" in plan, plan
    assert "MULTI-INDEX OR" not in plan and "TEMP B-TREE" not in plan, plan
    assert [r.title for r in queryset] == ["NATO summit"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_postgresql_reads_a_searchs_matches_from_the_index_for_that_page_only(staff_client):
    make_release(title="Cyber defence update")
    url = reverse("admin:articles_release_changelist")
    seen = []

    def setting(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(setting):
        response = staff_client.get(url, {"q": "cyber defence"})
    assert response.context["cl"].result_count == 1
    assert any("set_config('enable_seqscan', 'off', true)" in sql for sql in seen)
    with connection.cursor() as cursor:  # put back after the page
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
    seen.clear()
    with connection.execute_wrapper(setting):
        staff_client.get(url)
    assert not any("enable_seqscan" in sql for sql in seen)  # not without a search
