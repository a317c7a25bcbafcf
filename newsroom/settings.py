"""Newsroom settings: one module, configured by the environment.

Development needs nothing (SQLite beside the code, DEBUG on). Production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and optionally REDIS_URL; unsafe
production values are refused at start-up with a clear error.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    """Read a 0/1 style flag; anything unrecognised is a configuration error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {raw!r}.")


def env_count(name: str, default: int) -> int:
    """A whole number, 0 or more; anything else is a configuration error."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()):
        raise ImproperlyConfigured(f"{name} must be a whole number, 0 or more, not {raw!r}.")
    return int(raw)


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_flag("DEBUG", default=True)  # production sets DEBUG=0 (contract)

SECRET_KEY = os.environ.get("SECRET_KEY") or ("dev-only-not-secret" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY when DEBUG=0 (a long random string).")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only")):
    raise ImproperlyConfigured("SECRET_KEY is too weak for DEBUG=0: use 50+ random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or (
    ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS when DEBUG=0, e.g. ALLOWED_HOSTS=news.example.org."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def site_url_setting(raw: str) -> str:
    """`NEWSROOM_SITE_URL` checked and normalised: `https://host[:port]`, nothing after."""
    parts = urlsplit(raw.strip())
    if (
        parts.scheme.lower() not in {"http", "https"}
        or not parts.hostname
        or "@" in parts.netloc
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
    ):
        raise ImproperlyConfigured(
            f"NEWSROOM_SITE_URL must be http(s)://host[:port] with no path, not {raw!r}."
        )
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ImproperlyConfigured(f"NEWSROOM_SITE_URL has an invalid port: {raw!r}.") from None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


# The site's public address, from which every absolute URL is made (canonical, OpenGraph,
# JSON-LD, feeds, sitemaps, robots.txt; articles/site_url.py), never the request's Host
# header. Unset in development: the request's own scheme and host. Unset with DEBUG=0:
# https:// and the first ALLOWED_HOSTS entry.
if os.environ.get("NEWSROOM_SITE_URL", "").strip():
    NEWSROOM_SITE_URL = site_url_setting(os.environ["NEWSROOM_SITE_URL"])
elif DEBUG:
    NEWSROOM_SITE_URL = ""
elif ALLOWED_HOSTS[0] == "*" or ALLOWED_HOSTS[0].startswith("."):
    raise ImproperlyConfigured(
        "Set NEWSROOM_SITE_URL (e.g. https://news.example.org) when the first ALLOWED_HOSTS "
        "entry is a wildcard."
    )
else:
    NEWSROOM_SITE_URL = site_url_setting(f"https://{ALLOWED_HOSTS[0]}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "articles.vocabulary_app.VocabularyConfig",  # django-taggit, as "Topic vocabulary"
    "django_prose_editor",
    "simple_history",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from our own static files
    "articles",
    "newsroom.api",
    "django_tasks",
    "django_tasks_db",
    "newsroom.distribution",
    "newsroom.media",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # /api/ only: CORS, JSON errors (400, 405, 404, 429), the rate limit, ETag/304 and
    # Cache-Control, around everything below, the page cache's hits included.
    "newsroom.api.middleware.ApiMiddleware",
    "articles.middleware.RejectControlCharactersMiddleware",
    # Before CSRF: a method the public site does not take is a 405, not "form expired".
    "articles.middleware.ReadOnlyPublicSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the address (/fr/…); unprefixed public pages are English; the
    # admin follows the editor's browser (Accept-Language) or their choice (cookie).
    "django.middleware.locale.LocaleMiddleware",
    "articles.admin.language.AdminLanguageMiddleware",  # /admin/: the editor's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: it serves readers who are not signed in, cookie or not.
    "articles.middleware.PublicPageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "articles.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE, <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.newsroom",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    import tempfile

    # A connection waits at most 10 s for another one's lock, then its query fails with
    # "database is locked": the same ceiling as PostgreSQL's statement timeout below.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 10)
    # WAL: the task worker (`manage.py db_worker`) writes beside the web server, and readers
    # never wait for a writer; the mode is kept in the file, set again on each connection.
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
    # Tests get a database file, not Django's in-memory default. With an in-memory database
    # the live server of the browser tests hands the test's one SQLite connection to every
    # request thread, and two threads in one SQLite connection can deadlock the whole
    # interpreter (tests/browser/test_live_server_connections.py). With a file each thread
    # has its own connection, closed when its request ends. One file per process: test
    # runs side by side in one checkout must not delete each other's database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"newsroom-test-{os.getpid()}.sqlite3")
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A runaway query is cancelled rather than holding a worker and a connection. No
    # parallel workers per query by default: page queries take milliseconds, and on a
    # 2-core app server a parallel plan cost a search 10-20 ms of start-up (issue 7).
    timeout_ms = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", 10_000))
    parallel = int(os.environ.get("DATABASE_PARALLEL_WORKERS", 0))
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={timeout_ms} -c max_parallel_workers_per_gather={parallel}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous public pages are served from the cache (see articles/cache.py), Redis or a
# local-memory cache per worker: freshness is decided by a content version kept in the
# database, so every worker and server drops its pages when content changes.
NEWSROOM_PAGE_CACHE = env_flag("NEWSROOM_PAGE_CACHE", default=True)
# Cached values are keyed by a content version kept in the database; each process reads
# it at most this often, so a publish or withdrawal on any server shows on every server
# within this many seconds, Redis or not (0: on every request).
NEWSROOM_VERSION_CHECK_SECONDS = float(os.environ.get("NEWSROOM_VERSION_CHECK_SECONDS", 1))

# Admin login is throttled against password guessing (django-axes): after 5 failures
# for a username from one address, that pair is locked out for 15 minutes. The address is
# the client's, not the proxy's (else one attacker behind the shared proxy address would
# lock an editor out for everyone): with TRUSTED_PROXY_COUNT=N proxies in front of the app
# it is the Nth entry from the right of X-Forwarded-For; with 0 (the default) it is
# REMOTE_ADDR and X-Forwarded-For is ignored, so it cannot be spoofed
# (newsroom/client_ip.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "").strip() or "0"
if not (_proxies.isascii() and _proxies.isdigit()):
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be a number, 0 or more: {_proxies!r}.")
TRUSTED_PROXY_COUNT = int(_proxies)
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "403_lockout.html"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English and French (issue 19): English at today's addresses, French under /fr/
# (i18n_patterns without a prefix for the default). More languages are more entries here
# and a catalogue in locale/. An item's language is one of these codes.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Times are stored in UTC and shown in the newsroom's own zone, which pages name.
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "Europe/Brussels")
USE_I18N = True
# English reads and writes dates the British way in every variant (newsroom/formats/en);
# French uses Django's fr formats. The settings below are the fallbacks.
FORMAT_MODULE_PATH = ["newsroom.formats"]
# How pages name their language to OpenGraph (og:locale).
NEWSROOM_OG_LOCALES = {"en": "en_GB", "fr": "fr_FR"}
DATE_FORMAT = "j M Y"
TIME_FORMAT = "P"
DATETIME_FORMAT = "j M Y, P"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y P"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S.%f",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M:%S.%f",
    "%d/%m/%y %H:%M",
]
USE_TZ = True

NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "NATO Newsroom")

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded media (newsroom/media/, docs/deploy.md "Media files"): files under MEDIA_ROOT on
# one machine; with NEWSROOM_MEDIA_STORAGE=s3, an S3-compatible bucket shared by several
# app servers (django-storages). Either way readers fetch files through /media/, a view
# that applies the public rule; the bucket itself stays private.
NEWSROOM_MEDIA_STORAGE = os.environ.get("NEWSROOM_MEDIA_STORAGE", "filesystem")
if NEWSROOM_MEDIA_STORAGE == "filesystem":
    _MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif NEWSROOM_MEDIA_STORAGE == "s3":
    _bucket = os.environ.get("NEWSROOM_MEDIA_S3_BUCKET", "")
    if not _bucket:
        raise ImproperlyConfigured("Set NEWSROOM_MEDIA_S3_BUCKET with NEWSROOM_MEDIA_STORAGE=s3.")
    _MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": os.environ.get("NEWSROOM_MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("NEWSROOM_MEDIA_S3_REGION") or None,
            # Keys come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables
            # (or the instance's role); never from this file.
            "default_acl": "private",
            "querystring_auth": True,  # the view hands out short-lived signed addresses
            "querystring_expire": env_count("NEWSROOM_MEDIA_S3_URL_SECONDS", 60),
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(
        f"NEWSROOM_MEDIA_STORAGE must be filesystem or s3, not {NEWSROOM_MEDIA_STORAGE!r}."
    )
# Where pictures are fetched from after the media view's redirect (the page's CSP allows
# them): the endpoint's origin, or AWS's hosts; NEWSROOM_MEDIA_S3_ORIGIN overrides it.
_MEDIA_ORIGINS = []
if NEWSROOM_MEDIA_STORAGE == "s3":
    _endpoint = urlsplit(os.environ.get("NEWSROOM_MEDIA_S3_ENDPOINT_URL", ""))
    _MEDIA_ORIGINS = [
        os.environ.get("NEWSROOM_MEDIA_S3_ORIGIN")
        or (f"{_endpoint.scheme}://{_endpoint.netloc}" if _endpoint.netloc else "")
        or "https://*.amazonaws.com"
    ]
# Uploads: a bigger file is refused with a form error; a picture of more pixels is refused
# before it is decoded (a decompression bomb); renditions are made in these widths.
NEWSROOM_MEDIA_MAX_UPLOAD_MB = env_count("NEWSROOM_MEDIA_MAX_UPLOAD_MB", 40)
NEWSROOM_MEDIA_MAX_PIXELS = env_count("NEWSROOM_MEDIA_MAX_PIXELS", 60_000_000)
# AVIF encoder effort, 0 (smallest files, slowest) to 10 (fastest): 6, Pillow's default,
# takes about 2 s for a 1440 px rendition on one core, once per upload.
NEWSROOM_MEDIA_AVIF_SPEED = min(env_count("NEWSROOM_MEDIA_AVIF_SPEED", 6), 10)
# Production behind nginx: the view answers with `X-Accel-Redirect: <prefix><name>` and
# nginx sends the file from an `internal` location (docs/deploy.md); Apache/lighttpd:
# NEWSROOM_MEDIA_SENDFILE=1 sends `X-Sendfile: <path>`. Unset: the view streams the file.
NEWSROOM_MEDIA_ACCEL_REDIRECT = os.environ.get("NEWSROOM_MEDIA_ACCEL_REDIRECT", "")
NEWSROOM_MEDIA_SENDFILE = env_flag("NEWSROOM_MEDIA_SENDFILE", default=False)
# For "all rights reserved" pictures: the newsroom's terms of use, and where journalists
# ask for a licence (schema.org `license` / `acquireLicensePage`), unless an image has its own.
NEWSROOM_MEDIA_TERMS_URL = os.environ.get("NEWSROOM_MEDIA_TERMS_URL", "")
NEWSROOM_MEDIA_LICENCE_PAGE = os.environ.get("NEWSROOM_MEDIA_LICENCE_PAGE", "")
STORAGES = {
    "default": _MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

WHITENOISE_USE_FINDERS = DEBUG
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
WHITENOISE_AUTOREFRESH = DEBUG

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Limits: a newsroom is probed all day; keep request bodies and field counts bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Security: strict by default in production, configurable behind a TLS proxy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=True)
    if env_flag("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: no inline script or style anywhere on the public site. The
# admin's rich-text editor adds one import map, allowed by its hash (articles/admin/publication.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Media on S3 are redirected to signed addresses on the bucket's host.
        "img-src": [SELF, "data:", *_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

TAGGIT_CASE_INSENSITIVE = True

# The read-only JSON API for partners (newsroom/api/, README "The JSON API"). Anonymous and
# read-only: no authentication, sessions or parsers; JSON whatever the Accept header says.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": [],  # the rate limit is newsroom.api.middleware's
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "newsroom.api.negotiation.AlwaysJson",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "newsroom.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{NEWSROOM_NAME} API",
    "DESCRIPTION": (
        "Read-only JSON: public releases, speeches, speakers, events and tags. "
        "Lists take the site's list filters and page with `next` links."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "SERVERS": [{"url": NEWSROOM_SITE_URL}] if NEWSROOM_SITE_URL else [],
}
# Requests a minute per client address (newsroom/client_ip.py, TRUSTED_PROXY_COUNT) to
# /api/, counted in the shared cache (Redis: across workers and servers); 0 turns it off.
NEWSROOM_API_RATE_LIMIT = env_count("NEWSROOM_API_RATE_LIMIT", 300)
# How long partners and their proxies may keep an API answer (seconds, `Cache-Control:
# max-age`); never past the next embargo lift. A withdrawal reaches them within this.
NEWSROOM_API_MAX_AGE = env_count("NEWSROOM_API_MAX_AGE", 60)

# Distribution (newsroom/distribution/, README "Distribution"): background work runs through
# the Django tasks API (the django-tasks backport). "database" (default): tasks are rows in
# this database, run by `manage.py db_worker` (started by `make run`); "rq": RQ on
# REDIS_URL, for several machines (`manage.py rqworker --with-scheduler`); "immediate":
# in the request, for tests only.
NEWSROOM_TASKS = os.environ.get("NEWSROOM_TASKS", "database").strip() or "database"
if NEWSROOM_TASKS == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif NEWSROOM_TASKS == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("NEWSROOM_TASKS=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif NEWSROOM_TASKS == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(
        f"NEWSROOM_TASKS must be database, rq or immediate, not {NEWSROOM_TASKS!r}."
    )
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}

# Email (alerts, advance copies, editors' review notifications): the console in
# development; SMTP (EMAIL_HOST...) in production or when EMAIL_BACKEND says so, or a
# provider through django-anymail (see README).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_count("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_count("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{NEWSROOM_NAME} <news@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Messages a minute all workers together may hand to the mail server (0: no limit).
NEWSROOM_EMAIL_RATE_PER_MINUTE = env_count("NEWSROOM_EMAIL_RATE_PER_MINUTE", 600)
# Tries of one message before it is marked failed (the waits double: 1, 2, 4... minutes).
NEWSROOM_EMAIL_MAX_ATTEMPTS = env_count("NEWSROOM_EMAIL_MAX_ATTEMPTS", 5)
# The hour (newsroom time) at which daily digests go out.
NEWSROOM_DIGEST_HOUR = env_count("NEWSROOM_DIGEST_HOUR", 7)
if NEWSROOM_DIGEST_HOUR > 23:
    raise ImproperlyConfigured("NEWSROOM_DIGEST_HOUR must be between 0 and 23.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "newsroom.logs.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
