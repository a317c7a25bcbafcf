"""Alerts at scale (issue 17): one new item matched against 10,000 saved filters, and the
matching alerts queued (send records and delivery tasks on the database task backend).

    make bench                       # after bench/run.py
    .venv/bin/python bench/alerts.py --backends postgres sqlite --subscriptions 10000

Per database (PostgreSQL `newsroom_bench_alerts` on 127.0.0.1:5432, user postgres; SQLite
`bench/newsroom-bench-alerts.sqlite3`): migrates, replaces every subscription with N
filters drawn with a fixed seed (*mixed*: a quarter "everything", the rest by tag,
speaker, event, kind and words, alone and combined; *matching*: filters that all match),
publishes one release that a known share of them match, then times, three times each:
`matching_subscriptions()` (what is matched) and `announce` (matching, writing the send
records, enqueueing the delivery tasks), with the send records and tasks removed between
rounds. Target: both under 10 s on PostgreSQL.
Writes docs/benchmarks-alerts.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "docs" / "benchmarks-alerts.md"
URLS = {
    "postgres": "postgres://postgres@127.0.0.1:5432/newsroom_bench_alerts",
    "sqlite": f"sqlite:///{REPO / 'bench' / 'newsroom-bench-alerts.sqlite3'}",
}


def child(backend: str, count: int, rounds: int, mix: str) -> None:
    """Runs in its own process, configured for one database."""
    sys.path.insert(0, str(REPO))
    os.environ["DATABASE_URL"] = URLS[backend]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["NEWSROOM_TASKS"] = "database"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from newsroom.distribution import alerts
    from newsroom.distribution.models import AlertSend, Announcement, Subscription
    from newsroom.distribution.tasks import announce
    from tests.factories import make_event, make_release

    call_command("migrate", verbosity=0)
    rng = random.Random(17)
    tags = [f"topic-{n}" for n in range(300)]
    speakers = [f"speaker-bench-{n}" for n in range(500)]
    events = [f"event-bench-{n}" for n in range(200)]
    words = ["defence", "summit", "arctic", "ukraine", "cyber", "budget", "exercise"]
    kinds = ["press-release", "news", "feature", "publication"]
    Subscription.objects.all().delete()
    rows = []
    for n in range(count):
        if mix == "matching":  # the worst case: every filter matches the new release
            data = {"scope": rng.choice(["releases", "all"])}
            if n % 2:
                data["tags"] = [rng.choice(tags[:8])]
            if n % 3 == 0:
                data["q"] = rng.choice(["defence", "arctic", "arctic security"])
            if n % 5 == 0:
                data["kind"] = "news"
        else:
            data = {"scope": rng.choice(["releases", "all", "speeches"])}
        if mix == "mixed" and n % 4:
            if rng.random() < 0.6:
                data["tags"] = rng.sample(tags[:40], rng.choice([1, 1, 2]))
            if rng.random() < 0.3:
                data["speaker"] = rng.choice(speakers[:50])
            if rng.random() < 0.2:
                data["event"] = rng.choice(events[:30])
            if rng.random() < 0.2 and data["scope"] != "speeches":
                data["kind"] = rng.choice(kinds)
            if rng.random() < 0.2:
                data["q"] = " ".join(rng.sample(words, rng.choice([1, 2])))
        cleaned = alerts.clean_filter(data)
        fields = {name: cleaned[name] for name in alerts.FILTER_FIELDS}
        rows.append(Subscription(email=f"reader{n}@example.org", scope=cleaned["scope"],
                                 filter_key=alerts.filter_key(cleaned),
                                 confirmed_at=timezone.now(), **fields))  # fmt: skip
    Subscription.objects.bulk_create(rows, batch_size=2000)
    release = make_release(
        title="Defence ministers meet on Arctic security",
        slug=f"bench-alerts-{time.time_ns()}",  # a new item each run, whatever is stored
        summary="Allies agree on a defence plan for the Arctic.",
        tags=[f"Topic {n}" for n in range(8)],
        kind="news",
        published_at=timezone.now() - timedelta(minutes=1),
        events=[make_event(slug=f"bench-event-{time.time_ns()}")],
    )
    announcement, _ = Announcement.objects.get_or_create(
        content_type_id=Announcement._meta.get_field("content_type")
        .related_model.objects.get_for_model(type(release))
        .pk,
        object_id=release.pk,
        due_at=release.published_at,
    )
    match_times, announce_times, queries = [], [], 0
    matched = queued = 0
    for _ in range(rounds):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            matched = len(alerts.matching_subscriptions(release))
        match_times.append(time.perf_counter() - start)
        queries = len(captured)
        AlertSend.objects.all().delete()
        DBTaskResult.objects.all().delete()
        Announcement.objects.filter(pk=announcement.pk).update(done_at=None)
        start = time.perf_counter()
        queued = announce.call(announcement.pk)
        announce_times.append(time.perf_counter() - start)
    tasks = DBTaskResult.objects.count()
    sys.stdout.write(
        f"{backend}\t{mix}\t{count}\t{matched}\t{queries}\t{statistics.median(match_times):.2f}"
        f"\t{queued}\t{tasks}\t{statistics.median(announce_times):.2f}\n"
    )


MIXES = ("mixed", "matching")


def ensure_postgres_database() -> None:
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-c",
            "CREATE DATABASE newsroom_bench_alerts",
        ],
        capture_output=True,
        check=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["postgres", "sqlite"])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--mix", default="mixed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.subscriptions, args.rounds, args.mix)
        return
    lines = []
    for backend, mix in [(b, m) for b in args.backends for m in MIXES]:
        if backend == "postgres":
            ensure_postgres_database()
        result = subprocess.run(
            [sys.executable, __file__, "--child", backend, "--subscriptions",
             str(args.subscriptions), "--rounds", str(args.rounds), "--mix", mix],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode:
            sys.stderr.write(result.stderr[-3000:] + "\n")
            lines.append(f"| {backend} | {mix} | failed (see the run's output) | | | | | | |")
            continue
        fields = result.stdout.strip().splitlines()[-1].split("\t")
        sys.stdout.write("\t".join(fields) + "\n")
        lines.append("| " + " | ".join(fields) + " |")
    load = os.getloadavg()[0]
    OUTPUT.write_text(
        "# Alerts at scale\n\n"
        f"`bench/alerts.py`, run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on a 2-core machine "
        f"shared with other work (load average {load:.1f}); medians of "
        f"{args.rounds} rounds. Target (issue 17): matching one new item against 10,000 "
        "saved filters and queueing 10,000 alerts in under 10 s on PostgreSQL. Two sets of "
        'filters: *mixed* (a quarter "everything", the rest by tag, speaker, event, kind '
        "and words: about a quarter match) and *matching* (every filter matches the new "
        "release: 10,000 alerts queued).\n\n"
        "| database | filters | saved filters | matched | queries to match | match (s) | alerts "
        "queued | delivery tasks | match + queue (s) |\n"
        "|---|---|--:|--:|--:|--:|--:|--:|--:|\n" + "\n".join(lines) + "\n"
    )
    sys.stdout.write(f"Wrote {OUTPUT.relative_to(REPO)}\n")


if __name__ == "__main__":
    main()
