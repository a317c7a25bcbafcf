"""Where a page's SQL time goes: its queries, slowest first, with their plans.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        .venv/bin/python bench/explain.py /releases/ "/releases/?page=2000" --top 3

Requests each path twice through Django's test `Client` (the second one is reported,
so per-process caches are warm), captures its queries, and prints for each of the
slowest the SQL and `EXPLAIN ANALYZE` (PostgreSQL, with buffers) or `EXPLAIN QUERY PLAN`
(SQLite). The page cache is turned off; staff pages (`/admin/…`) are requested as a
superuser. Read-only: the plans come from the same database the benchmark serves.
"""

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--top", type=int, default=3, help="plans for the N slowest queries")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["NEWSROOM_PAGE_CACHE"] = "0"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = sys.stdout.write
    staff = Client(HTTP_HOST="127.0.0.1")
    user_model = get_user_model()
    admin = user_model.objects.filter(is_superuser=True).first() or user_model.objects.create(
        username="bench-explain", is_staff=True, is_superuser=True
    )
    staff.force_login(admin)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    for path in args.paths:
        client = staff if path.startswith("/admin/") else anonymous
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            total = (time.perf_counter() - started) * 1000
        queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        out(f"\n=== {path}: HTTP {response.status_code}, {total:.0f} ms in-process, ")
        out(f"{len(queries)} queries, {sql_ms:.0f} ms SQL ({sql_ms / total:.0%})\n")
        for query in queries:
            out(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:150]}\n")
        for query in queries[: args.top]:
            out(f"\n--- {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n")
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                else:
                    cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
                for row in cursor.fetchall():
                    out("    " + " | ".join(str(cell) for cell in row) + "\n")


if __name__ == "__main__":
    main()
