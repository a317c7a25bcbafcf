"""The Newsroom benchmark (issue 7): 100,000 items behind gunicorn, measured with wrk.

    make bench                      # both databases, the defaults below
    .venv/bin/python bench/run.py --backends postgres --runs 5 --duration 10

What it does, per database (SQLite file `bench/newsroom-bench.sqlite3`, PostgreSQL
database `newsroom_bench` on 127.0.0.1:5432, user postgres):

1. migrates, and generates the archive with `generate_archive` (60,000 releases and
   40,000 speeches, seed 1) unless the database already holds exactly that (`--fresh`
   starts from empty databases, so the report also times the generation);
2. prepares in-process (Django test `Client` + `CaptureQueriesContext`, same database,
   page cache off): picks the URLs (a popular and a rare tag, a tag + speaker + date
   range that has results, a release and a speech in the middle of the archive), logs
   an editor in (a real session row, sent to wrk as a cookie), and records for every
   page its SQL query count and the in-process time with its SQL share;
3. serves the site with gunicorn (the repository's `gunicorn.conf.py`, 2 workers,
   worker recycling off so restarts do not pollute short runs), `DEBUG=0`, static files
   collected into a temporary STATIC_ROOT and served by whitenoise;
4. measures every page with wrk (`-t2 -c8`, a warm-up, then several short rounds; the
   rounds interleave the pages, and each round starts with a static file, the ceiling
   of the same gunicorn + whitenoise stack) and reports the median requests/s, its
   ratio to the static ceiling, and p50/p99 latency. Before a page is loaded, two rounds
   of concurrent requests fill both workers' caches (a page failing or slower than 3 s
   then is reported, not loaded; a 404 is "n/a": not built yet); after every wrk run
   the script waits until the workers have served what wrk left queued. Then the same
   with the public page cache on, for the cached figures.

It writes the table to `docs/benchmarks.md`. wrk is a Debian package, not a Python
dependency: `sudo apt-get install -y wrk`. Numbers from a shared 2-core machine are
noisy: compare ratios measured in the same run, never absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
OUTPUT = REPO / "docs" / "benchmarks.md"
SQLITE_FILE = BENCH / "newsroom-bench.sqlite3"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
RELEASES, SPEECHES, SEED = 60_000, 40_000, 1
IMAGES = 200  # distinct synthetic pictures, each item's lead image (pages with pictures)
DEEP_PAGE = 2_000
SEARCH_WORDS = "cyber defence"  # in about 37% of the generated items
RARE_SEARCH_WORDS = "Arctic challenge"  # in about 0.4%
# One key for the whole run: the editor's session, made in-process, must be valid in
# every gunicorn started afterwards.
SECRET_KEY = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64)
SLOW_S = 3.0  # a page slower than this is reported, not load-tested
PROBE_TIMEOUT_S = 40.0  # above gunicorn's 30 s worker timeout
MIXED_REQUESTS = 10_000  # served before the workers' resident memory is read
MEMORY_TARGET_MIB = 80
COLD_PAGES = ("home", "list", "release", "search")  # first requests after a (re)start


def say(message: str) -> None:
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    cached: bool = False  # also measured with the public page cache on


PAGES = [
    # Django's own floor: a template view through every middleware, no query. Pages are
    # measured against the static file; this row says how much of that the stack takes.
    Page("floor", "Django floor: a template view through every middleware, no query"),
    Page("home", "Home", cached=True),
    Page("list", "Release list, page 1", cached=True),
    Page("deep", f"Release list, page {DEEP_PAGE:,}", cached=True),
    Page("tag", "Release list, one popular tag", cached=True),
    Page("rare_tag", "Release list, one rare tag"),
    Page("combined", "Release list, tag + speaker + date range", cached=True),
    Page("tag_page", "Tag page"),
    Page("speech_list", "Speech list, page 1"),
    Page("release", "Release detail", cached=True),
    Page("speech", "Speech detail", cached=True),
    Page("search", f"Search, two common words ({SEARCH_WORDS!r})"),
    Page("search_rare", f"Search, two rarer words ({RARE_SEARCH_WORDS!r})"),
    Page("feed", "Feed /feeds/releases/"),
    Page("sitemap", "Sitemap index"),
    Page("sitemap_section", "Sitemap section (releases, first file)"),
    Page("speakers", "Speaker directory"),
    Page("events", "Event directory"),
    Page("admin", "Admin release changelist (editor)"),
    # The JSON API (issue 20): target ≥ 0.1× static with the page cache off, ≤ 3 queries.
    Page("api_list", "API release list, page 1", cached=True),
    Page("api_filtered", "API release list, tag + speaker + date range", cached=True),
    Page("api_cursor", "API release list, a cursor page 2,000 pages deep"),
    Page("api_release", "API release detail"),
]


# --- the in-process part (runs inside Django, one database) ------------------------------


def prepare(out: Path, releases: int, speeches: int, archive_only: bool) -> None:
    """Ensure the archive (`archive_only`), or choose the URLs and count queries.

    Writes the findings as JSON to `out`.
    """
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from articles.filters import ReleaseFilterSet
    from articles.models import Release, Speech, TaggedRelease

    found = {"generated_s": None}
    generated = (
        Release.objects.filter(slug__startswith="gen-").count(),
        Speech.objects.filter(slug__startswith="gen-").count(),
    )
    pictured = Release.objects.filter(slug__startswith="gen-", lead_image__isnull=False).exists()
    if generated != (releases, speeches) or not pictured:
        say(f"Generating {releases:,} releases and {speeches:,} speeches with pictures…")
        started = time.monotonic()
        call_command(
            "generate_archive",
            releases=releases,
            speeches=speeches,
            seed=SEED,
            replace=True,
            images=IMAGES,
            stdout=sys.stderr,
        )
        found["generated_s"] = round(time.monotonic() - started, 1)
    if archive_only:
        out.write_text(json.dumps(found))
        return

    public = Release.objects.public()
    middle = public.count() // 2
    release = public.order_by("-published_at", "-id").values_list("slug", flat=True)[middle]
    speeches_public = Speech.objects.public()
    speech = speeches_public.order_by("-delivered_on", "-id").values_list("slug", flat=True)[
        speeches_public.count() // 2
    ]
    by_use = list(
        TaggedRelease.objects.filter(content_object__in=public)
        .values("tag__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "tag__slug")
    )
    popular = by_use[0]
    rare = min(
        (row for row in by_use if row["n"] >= 40), key=lambda row: row["n"], default=by_use[-1]
    )
    speaker = (
        public.filter(tagged__tag__slug=popular["tag__slug"])
        .values("speakers__slug")
        .exclude(speakers__slug=None)
        .annotate(n=Count("id"))
        .order_by("-n")[0]["speakers__slug"]
    )
    today = datetime.now(UTC).date()
    combined = {
        "tag": popular["tag__slug"],
        "speaker": speaker,
        "date_after": (today - timedelta(days=6 * 365)).isoformat(),
        "date_before": (today - timedelta(days=365)).isoformat(),
    }
    combined_count = ReleaseFilterSet(QueryDict(urlencode(combined)), queryset=public).qs.count()
    urls = {
        "static": staticfiles_storage.url("css/site.css"),
        "floor": "/robots.txt",
        "home": "/",
        "list": "/releases/",
        "deep": f"/releases/?page={DEEP_PAGE}",
        "tag": f"/releases/?tag={popular['tag__slug']}",
        "rare_tag": f"/releases/?tag={rare['tag__slug']}",
        "combined": f"/releases/?{urlencode(combined)}",
        "tag_page": f"/tags/{popular['tag__slug']}/",
        "speech_list": "/speeches/",
        "release": f"/releases/{release}/",
        "speech": f"/speeches/{speech}/",
        "search": f"/search/?{urlencode({'q': SEARCH_WORDS})}",
        "search_rare": f"/search/?{urlencode({'q': RARE_SEARCH_WORDS})}",
        "feed": "/feeds/releases/",
        "sitemap": "/sitemap.xml",
        "sitemap_section": "/sitemap-releases.xml",
        "speakers": "/speakers/",
        "events": "/events/",
        "admin": reverse("admin:articles_release_changelist"),
        "api_list": "/api/v1/releases/",
        "api_filtered": f"/api/v1/releases/?{urlencode(combined)}",
        "api_cursor": api_cursor_url(Release, public, DEEP_PAGE * 20),
        "api_release": f"/api/v1/releases/{release}/",
    }
    notes = {
        "tag": f"{popular['n']:,} public releases",
        "rare_tag": f"{rare['n']:,} public releases",
        "tag_page": f"{popular['n']:,} public releases",
        "combined": f"{combined_count:,} results",
        "api_filtered": f"{combined_count:,} results",
    }

    editor_model = get_user_model()
    editor, _created = editor_model.objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True}
    )
    editor.groups.add(Group.objects.get(name="Editor"))
    staff = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    staff.force_login(editor)
    anonymous = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)

    measured = {}
    for key, url in urls.items():
        client = staff if key == "admin" else anonymous
        runs = []
        for number in range(6):  # the first is cold (per-process caches empty)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
            sql = sum(float(query["time"]) for query in queries.captured_queries)
            runs.append((elapsed * 1000, sql * 1000, len(queries)))
            if number and (response.status_code != 200 or elapsed > SLOW_S * 3):
                break
        entry = {"status": response.status_code, "cold_ms": round(runs[0][0], 1)}
        warm = runs[1:]
        if response.status_code == 200 and warm:
            entry["ms"] = round(statistics.median(run[0] for run in warm), 1)
            entry["sql_ms"] = round(statistics.median(run[1] for run in warm), 1)
            entry["queries"] = max(run[2] for run in warm)
            entry["cold_queries"] = runs[0][2]
        measured[key] = entry

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    found.update(
        urls=urls,
        notes=notes,
        measured=measured,
        cookie=f"{settings.SESSION_COOKIE_NAME}={staff.cookies[settings.SESSION_COOKIE_NAME].value}",
        database=database,
        django=django.get_version(),
        items=[Release.objects.count(), Speech.objects.count()],
    )
    out.write_text(json.dumps(found, indent=2))


# --- the load generator side ------------------------------------------------------------


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    bad: int  # non-2xx responses and socket errors


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, args: argparse.Namespace, duration: int, cookie: str | None) -> Load:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s"]
    command += ["--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    with (BENCH / "wrk.log").open("a") as log:  # raw output, for a look afterwards
        log.write(f"$ {' '.join(command)} {url}\n{output}\n")
    settle(urlsplit(url).port)
    percentile = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if errors:
        bad += int(errors[1]) + int(errors[3]) + int(errors[4])
    if len(percentile) < 2:  # not one request finished in the time
        return Load(rps=0.0, p50_ms=float("nan"), p99_ms=float("nan"), bad=bad)
    return Load(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        p50_ms=_ms(percentile["50"]),
        p99_ms=_ms(percentile["99"]),
        bad=bad,
    )


def status(port: int, path: str, cookie: str | None = None, timeout: float = 60) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def probe(port: int, path: str, cookie: str | None) -> tuple[int | None, float, str]:
    """Status and seconds of a page once both workers have served it (caches filled).

    Rounds of two concurrent requests: each idle sync worker takes one, so the first
    round fills both workers' per-process caches and a later one is timed. A failure
    that goes away (a cold cache timing out) is reported beside the figures.
    """

    def one(_number: int) -> tuple[int | None, float]:
        started = time.monotonic()
        try:
            code = status(port, path, cookie, timeout=PROBE_TIMEOUT_S)
        except OSError:  # no answer in time, or the worker was killed by its timeout
            return None, PROBE_TIMEOUT_S
        return code, time.monotonic() - started

    failures: list[str] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for round_number in range(3):
            answers = list(pool.map(one, range(2)))
            codes = {code for code, _seconds in answers}
            seconds = max(elapsed for _code, elapsed in answers)
            if codes == {404}:
                return 404, seconds, ""
            if codes == {200} and round_number:
                break
            if codes != {200}:
                failures += [f"{code or 'no answer'} after {elapsed:.0f} s"
                             for code, elapsed in answers if code != 200]  # fmt: skip
    note = f"cold requests failed ({', '.join(failures)})" if failures else ""
    if codes != {200}:
        return (None if None in codes else max(codes - {200})), seconds, note
    return 200, seconds, note


def settle(port: int) -> None:
    """Wait until the server has worked through the requests wrk left behind.

    When wrk stops, requests it had sent are still queued in the listen backlog, and
    sync workers serve them all before anything newer: on a slow page that is many
    seconds, which the next measurement would otherwise pay for. Requests sent now
    queue behind them, so their answers mean the backlog is gone.
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda _n: status(port, "/healthz", timeout=300), range(2)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PRODUCTION_VENV = BENCH / ".venv-production"


def production_gunicorn() -> Path:
    """gunicorn of a virtualenv with the project's own dependencies only (`pip install
    -e .`, no `[dev]`), made again when pyproject.toml changes.

    A server does not have the test tools installed, and the workers should not load them:
    Django REST framework imports `requests`, `pygments` and `yaml` whenever they can be
    imported, and the development environment has them (for schemathesis and pytest),
    which made each worker about 7 MiB larger than in production.
    """
    stamp = PRODUCTION_VENV / ".installed-stamp"
    project = REPO / "pyproject.toml"
    if not stamp.exists() or stamp.stat().st_mtime < project.stat().st_mtime:
        say(f"Installing the project without its development tools into {PRODUCTION_VENV}…")
        subprocess.run([sys.executable, "-m", "venv", str(PRODUCTION_VENV)], check=True)
        pip = [str(PRODUCTION_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "-e", str(REPO)], check=True)
        stamp.touch()
    return PRODUCTION_VENV / "bin" / "gunicorn"


class Gunicorn:
    """gunicorn on a free port, in its own process group, always stopped on exit; run
    from the production virtualenv (`production_gunicorn()`)."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.env = env | {"WEB_CONCURRENCY": "2"}
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        # Collected again at each start: the code may have changed since the last run.
        manage(self.env, "collectstatic", "--noinput", "-v0")
        command = [
            str(production_gunicorn()),
            "newsroom.wsgi:application",
            "--workers", "2",
            "--bind", f"127.0.0.1:{self.port}",
            "--max-requests", "0",  # no worker recycling in the middle of a 5 s run
            "--access-logfile", "/dev/null",  # formatted as in production, not stored
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited at start-up; see {self.log}")
            try:
                if status(self.port, "/healthz") == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {self.log}")

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each worker (the master's children), in MiB."""
        sizes = []
        for status_file in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status_file.read_text()
            except OSError:
                continue
            parent = re.search(r"^PPid:\s+(\d+)", text, re.MULTILINE)
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE)
            if parent and rss and int(parent[1]) == self.process.pid:
                sizes.append(int(rss[1]) / 1024)
        return sorted(sizes)

    def __exit__(self, *_exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def measure(
    env: dict, found: dict, pages: list[Page], args, log: Path, label: str, memory: bool = False
) -> dict:
    """wrk every page (and the static ceiling) in interleaved rounds; medians per page."""
    urls, cookie = found["urls"], found["cookie"]
    results: dict[str, dict] = {}
    with Gunicorn(env, log) as server:
        base = f"http://127.0.0.1:{server.port}"
        results["cold"] = cold_requests(server.port, urls)
        live = []
        for page in pages:
            page_cookie = cookie if page.key == "admin" else None
            code, seconds, note = probe(server.port, urls[page.key], page_cookie)
            if code is None:
                results[page.key] = {"na": f"no answer within {PROBE_TIMEOUT_S:.0f} s"}
            elif code == 404:
                results[page.key] = {"na": "n/a (404: not built yet)"}
            elif code != 200:
                results[page.key] = {"na": f"error: HTTP {code} ({note})"}
            elif seconds >= SLOW_S:
                results[page.key] = {"na": f"too slow to load-test: {seconds:.1f} s a request"}
            else:
                live.append(page)
            if note:
                results.setdefault(page.key, {})["note"] = note
        static_url = base + urls["static"]
        wrk(static_url, args, args.warmup, None)
        for page in live:
            wrk(base + urls[page.key], args, args.warmup, cookie if page.key == "admin" else None)
        ceiling_runs: list[Load] = []
        runs: dict[str, list[Load]] = {page.key: [] for page in live}
        for round_number in range(1, args.runs + 1):
            say(f"  {label}: round {round_number}/{args.runs}")
            ceiling_runs.append(wrk(static_url, args, args.duration, None))
            for page in live:
                page_cookie = cookie if page.key == "admin" else None
                runs[page.key].append(wrk(base + urls[page.key], args, args.duration, page_cookie))
        mixed = [urls[page.key] for page in live if page.key not in {"admin", "floor"}]
        if mixed and memory:
            say(f"  {label}: {MIXED_REQUESTS:,} mixed requests, then the workers' memory")
            results["memory"] = mixed_load_memory(server, base, mixed, args)
    ceiling = _median_load(ceiling_runs)
    results["static"] = _summary(ceiling, ceiling.rps)
    for key, loads in runs.items():
        results[key] = results.get(key, {}) | _summary(_median_load(loads), ceiling.rps)
    return results


def cold_requests(port: int, urls: dict) -> dict[str, float]:
    """Milliseconds of the first requests to a freshly started server, one page each.

    What the first readers after a deploy wait: each worker has imported the project,
    but nothing is cached yet (templates, URL resolver, per-process indexes, the
    database's own caches of a restarted server aside).
    """
    cold = {}
    for key in COLD_PAGES:
        started = time.monotonic()
        try:
            code = status(port, urls[key], timeout=PROBE_TIMEOUT_S)
        except OSError:
            code = None
        if code == 200:
            cold[key] = (time.monotonic() - started) * 1000
    return cold


_MIXED_SCRIPT = """
local paths = {%s}
local served = 0
local limit = %d
local next_path = math.random(#paths)
request = function()
  next_path = next_path %% #paths + 1
  return wrk.format("GET", paths[next_path])
end
response = function()
  served = served + 1
  if served >= limit then wrk.thread:stop() end
end
"""


def mixed_load_memory(server: Gunicorn, base: str, paths: list[str], args) -> dict:
    """Serve MIXED_REQUESTS requests cycling through `paths`, then read the workers' RSS."""
    quoted = ", ".join(json.dumps(path) for path in paths)
    per_thread = -(-MIXED_REQUESTS // args.threads)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_MIXED_SCRIPT % (quoted, per_thread))
    try:
        command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "-d600s"]
        command += ["--timeout", "30s", "-s", script.name, base + "/"]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    settle(server.port)
    served = re.search(r"(\d+) requests in", output)
    return {"requests": int(served[1]) if served else 0, "rss_mib": server.worker_rss_mib()}


def _median_load(loads: list[Load]) -> Load:
    return Load(
        rps=statistics.median(load.rps for load in loads),
        p50_ms=statistics.median(load.p50_ms for load in loads),
        p99_ms=statistics.median(load.p99_ms for load in loads),
        bad=sum(load.bad for load in loads),
    )


def _summary(load: Load, ceiling: float) -> dict:
    return {
        "rps": load.rps,
        "ratio": load.rps / ceiling if ceiling else 0.0,
        "p50_ms": load.p50_ms,
        "p99_ms": load.p99_ms,
        "worker_ms": 2 * 1000 / load.rps if load.rps else 0.0,  # 2 busy workers
        "bad": load.bad,
    }


# --- targets (issue 7, section 3) and the report -----------------------------------------


found_queries: dict[str, int] = {}  # SQL queries per page of the backend being reported
found_measured: dict[str, dict] = {}  # in-process figures per page of that backend


def api_cursor_url(model, public, depth: int) -> str:
    """An API list page `depth` rows deep, reached by its cursor (what `next` links carry)."""
    from newsroom.api.pagination import encode_cursor, keyset

    order = keyset(model)
    columns = [field.removeprefix("-") for field in order]
    row = public.order_by(*order).values_list(*columns)[depth]
    return f"/api/v1/releases/?cursor={encode_cursor(model._meta.label_lower, list(row), False)}"


def verdict(key: str, results: dict, backend: str) -> str:
    row = results.get(key, {})
    if "rps" not in row:
        return ""
    list_rps = results.get("list", {}).get("rps")

    def check(ok: bool, text: str) -> str:
        return f"{'✅' if ok else '❌'} {text}"

    local = found_measured.get(key, {})
    if key == "list":
        return check(row["ratio"] >= 0.08, "≥ 0.08× static")
    if key == "deep" and list_rps:
        return check(row["rps"] >= 0.5 * list_rps, f"≥ 0.5× page 1 ({row['rps'] / list_rps:.2f}×)")
    if key in {"tag", "combined", "rare_tag"} and list_rps:
        return check(row["rps"] >= 0.7 * list_rps, f"≥ 0.7× page 1 ({row['rps'] / list_rps:.2f}×)")
    if key in {"release", "speech"}:
        return check(row["ratio"] >= 0.15, "≥ 0.15× static")
    if key.startswith("search"):
        queries = local.get("queries")
        fits = queries is not None and queries <= 3
        return check(row["ratio"] >= 0.05 and fits, f"≥ 0.05× static, ≤ 3 queries ({queries})")
    if key == "sitemap_section":
        return check(row["worker_ms"] < 100, "< 100 ms of worker time")
    if key == "sitemap":
        return check(row["worker_ms"] < 20, "< 20 ms of worker time")
    if key in {"speakers", "events"} and "ms" in local:
        return check(local["ms"] < 30, "< 30 ms in process")
    if key == "admin":
        return check(row["worker_ms"] < 300, "< 300 ms a request")
    if key in {"api_list", "api_filtered"}:
        queries = found_queries.get(key)
        fits = queries is not None and queries <= 3
        return check(row["ratio"] >= 0.1 and fits, f"≥ 0.1× static, ≤ 3 queries ({queries})")
    return ""


def table(found: dict, results: dict, backend: str, pages: list[Page]) -> list[str]:
    found_queries.clear()
    found_measured.clear()
    found_measured.update(found["measured"])
    found_queries.update(
        {key: entry["queries"] for key, entry in found["measured"].items() if "queries" in entry}
    )
    lines = [
        "| Page | req/s | × static | p50 ms | p99 ms | worker ms/req | SQL queries "
        "| in-process ms (SQL ms) | target |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    static = results["static"]
    lines.append(
        f"| Static file (ceiling) `{found['urls']['static']}` | {static['rps']:,.0f} | 1.00 "
        f"| {static['p50_ms']:.1f} | {static['p99_ms']:.1f} | {static['worker_ms']:.1f} "
        "| 0 | | |"
    )
    for page in pages:
        row = results.get(page.key, {})
        url = found["urls"][page.key].replace("|", "%7C")
        note = found["notes"].get(page.key)
        name = f"{page.label} `{url}`" + (f" ({note})" if note else "")
        local = found["measured"].get(page.key, {})
        queries, in_process = local.get("queries", "–"), "–"
        if "ms" in local:
            in_process = f"{local['ms']:.0f} ({local['sql_ms']:.0f})"
            if local["cold_ms"] > max(2 * local["ms"], 500):  # a per-process cache filled
                in_process += f"; cold {local['cold_ms'] / 1000:.1f} s"
                queries = f"{queries} (cold {local['cold_queries']})"
        if "rps" not in row:
            lines.append(
                f"| {name} | {row.get('na', 'n/a')} | | | | | {queries} | {in_process} | |"
            )
            continue
        bad = f" ⚠ {row['bad']} errors" if row["bad"] else ""
        if row.get("note"):
            bad += f" ⚠ {row['note']}"
        lines.append(
            f"| {name} | {row['rps']:,.1f}{bad} | {row['ratio']:.3f} | {row['p50_ms']:.1f} "
            f"| {row['p99_ms']:.1f} | {row['worker_ms']:.1f} | {queries} | {in_process} "
            f"| {verdict(page.key, results, backend)} |"
        )
    return lines


def machine() -> dict:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = match[1].strip() if match else cpu
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "load": " ".join(f"{n:.2f}" for n in os.getloadavg()),
        "python": platform.python_version(),
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split(
            "\n"
        )[0],
    }


def start_and_memory(results: dict) -> list[str]:
    """The cold first requests after a start and the workers' memory after mixed load."""
    labels = {page.key: page.label for page in PAGES}
    lines = []
    cold = results.get("cold") or {}
    if cold:
        each = ", ".join(f"{labels[key].lower()} {ms:,.0f} ms" for key, ms in cold.items())
        lines += [
            f"- **Cold start** (the first request to each page after gunicorn starts, as "
            f"after a deploy, one at a time): {each}.",
        ]
    memory = results.get("memory")
    if memory and memory["rss_mib"]:
        largest = max(memory["rss_mib"])
        sizes = ", ".join(f"{mib:.0f}" for mib in memory["rss_mib"])
        mark = "✅" if largest < MEMORY_TARGET_MIB else "❌"
        lines += [
            f"- **Worker memory** after {memory['requests']:,} mixed requests (every page "
            f"above but the admin, in turn): {sizes} MiB resident per worker "
            f"{mark} < {MEMORY_TARGET_MIB} MiB.",
        ]
    return [*lines, ""] if lines else []


def write_report(runs: dict, args, host: dict, started: datetime) -> None:
    backends = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    versions = ", ".join(found["database"] for found, _results, _cached in runs.values())
    django = next(iter(runs.values()))[0]["django"]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`bench/run.py`) on {started:%Y-%m-%d %H:%M} UTC. "
        "Rerun it rather than editing this file.",
        "",
        f"- Machine: {host['nproc']} CPUs, {host['cpu']}; load average at start {host['load']} "
        "(a shared machine: other work ran beside the benchmark).",
        f"- Software: Python {host['python']}, Django {django}, {versions}, {host['wrk']}.",
        "- Server: gunicorn with the repository's `gunicorn.conf.py`, 2 sync workers, "
        "`--max-requests 0`, `DEBUG=0`, whitenoise for static files, installed as in "
        "production (`pip install -e .`, without the development tools, in "
        "`bench/.venv-production`); wrk runs on the same "
        "2 CPUs as the server, the database and whatever else the machine was doing.",
        f"- Load: `wrk -t{args.threads} -c{args.connections}`, {args.warmup:g} s warm-up, "
        f"then {args.runs} rounds of {args.duration:g} s per page; each round starts with the "
        "static file, and the table shows medians. *× static* is the page's requests/s over "
        "the static file's in the same run; *worker ms/req* is 2 workers ÷ requests/s, the "
        "time a worker spends on one request (p50/p99 include queueing behind 8 "
        "connections).",
        "- SQL queries and in-process time: requests through Django's test `Client` against "
        "the same database (`CaptureQueriesContext`), page cache off: the median of 5 warm "
        "requests, and the first (cold) one where per-process caches (filter options) made "
        "it much slower.",
        "",
    ]
    for backend, (found, results, cached) in runs.items():
        releases, speeches = found["items"]
        made = (
            f"generated in this run in {found['generated_s']:.0f} s (the whole command, "
            "from its first query to its last ANALYZE)"
            if found["generated_s"]
            else "reused from an earlier run"
        )
        lines += [
            f"## {backends[backend]} — {releases:,} releases, {speeches:,} speeches",
            "",
            f"Archive: `generate_archive --releases {RELEASES} --speeches {SPEECHES} "
            f"--images {IMAGES} --seed {SEED}`, {made}. "
            "Public page cache **off** (`NEWSROOM_PAGE_CACHE=0`).",
            "",
            *table(found, results, backend, PAGES),
            "",
            *start_and_memory(results),
        ]
        if cached:
            cached_pages = [page for page in PAGES if page.cached]
            lines += [
                f"### {backends[backend]} with the public page cache on",
                "",
                "Same pages, `NEWSROOM_PAGE_CACHE=1`, anonymous readers, local-memory cache "
                "per worker (no `REDIS_URL`); the issue's target is ≥ 0.5× static.",
                "",
                *table(found, cached, backend, cached_pages),
                "",
            ]
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text("\n".join(lines).rstrip() + "\n")


# --- orchestration ----------------------------------------------------------------------


def base_env(database_url: str, static_root: str, page_cache: bool) -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=static_root,
        NEWSROOM_PAGE_CACHE="1" if page_cache else "0",
        NEWSROOM_API_RATE_LIMIT="0",  # wrk is one client sending thousands of requests
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(REPO),
    )
    return env


def ensure_postgres_database(fresh: bool) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        if fresh:
            db.execute("DROP DATABASE IF EXISTS newsroom_bench WITH (FORCE)")
        exists = db.execute("SELECT 1 FROM pg_database WHERE datname = 'newsroom_bench'").fetchone()
        if not exists:
            db.execute("CREATE DATABASE newsroom_bench")


def manage(env: dict, *command: str) -> None:
    subprocess.run([sys.executable, "manage.py", *command], cwd=REPO, env=env, check=True)


def run_backend(backend: str, args, static_root: str, logs: Path) -> tuple[dict, dict, dict]:
    url = f"sqlite:///{SQLITE_FILE}" if backend == "sqlite" else POSTGRES_URL
    if backend == "postgres":
        ensure_postgres_database(args.fresh)
    elif args.fresh:
        for path in BENCH.glob(f"{SQLITE_FILE.name}*"):
            path.unlink()
    env = base_env(url, static_root, page_cache=False)
    say(f"== {backend}: migrate, archive, in-process measurements")
    manage(env, "migrate", "--noinput", "-v0")
    found_file = logs / f"{backend}.json"
    counts = ["--releases", str(args.releases), "--speeches", str(args.speeches)]
    prepare_command = [sys.executable, __file__, "--prepare", str(found_file), *counts]
    subprocess.run([*prepare_command, "--archive-only"], cwd=REPO, env=env, check=True)
    generated_s = json.loads(found_file.read_text())["generated_s"]
    # Collected after a possibly long generation, so the files match the code served.
    manage(env, "collectstatic", "--noinput", "-v0")
    subprocess.run(prepare_command, cwd=REPO, env=env, check=True)
    found = json.loads(found_file.read_text()) | {"generated_s": generated_s}
    shutil.copy(found_file, BENCH / f"last-{backend}.json")  # for a look afterwards
    say(f"== {backend}: load test, page cache off")
    results = measure(
        env, found, PAGES, args, logs / f"gunicorn-{backend}.log", backend, memory=args.memory
    )
    cached = {}
    if args.cached:
        say(f"== {backend}: load test, page cache on")
        cached_env = base_env(url, static_root, page_cache=True)
        cached_pages = [page for page in PAGES if page.cached]
        cached = measure(
            cached_env, found, cached_pages, args, logs / f"gunicorn-{backend}.log", backend
        )
    return found, results, cached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgres"],
                        default=["sqlite", "postgres"])  # fmt: skip
    parser.add_argument("--runs", type=int, default=3, help="rounds per page (median)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--releases", type=int, default=RELEASES)
    parser.add_argument("--speeches", type=int, default=SPEECHES)
    parser.add_argument("--fresh", action="store_true",
                        help="start from empty databases (times the generation)")  # fmt: skip
    parser.add_argument("--no-cached", dest="cached", action="store_false",
                        help="skip the pass with the public page cache on")  # fmt: skip
    parser.add_argument("--no-memory", dest="memory", action="store_false",
                        help=f"skip the {MIXED_REQUESTS:,} mixed requests and the memory "
                        "reading")  # fmt: skip
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)  # internal
    parser.add_argument("--archive-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.releases, args.speeches, args.archive_only)
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: sudo apt-get install -y wrk  (Debian/Ubuntu)")
    started = datetime.now(UTC)
    host = machine()
    (BENCH / "wrk.log").unlink(missing_ok=True)
    runs = {}
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as scratch:
        scratch_path = Path(scratch)
        static_root = str(scratch_path / "static")
        try:
            for backend in args.backends:
                runs[backend] = run_backend(backend, args, static_root, scratch_path)
        finally:
            for log in scratch_path.glob("gunicorn-*.log"):
                shutil.copy(log, BENCH / log.name)  # kept for a look after a failure
    write_report(runs, args, host, started)
    say(f"Wrote {OUTPUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
