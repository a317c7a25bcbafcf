"""Reliability hardening: same-site links on error pages, 405 for methods the public site
does not take, login lockout per client behind a proxy, no external images, and absolute
URLs from the configured site address rather than the request's Host header."""

import json
import os
import re
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from axes.models import AccessAttempt
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime

from articles.html import sanitise
from articles.models import Release
from articles.templatetags.articles_tags import same_site_path
from newsroom.client_ip import client_ip
from tests.factories import make_event, make_release, make_speaker, make_speech
from tests.support import PageParts

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://news.example.org"


def assert_same_site(url: str) -> None:
    """A path on this site (or a fragment): no scheme, no host, not protocol-relative."""
    assert url.startswith(("/", "#")), url
    assert not url.startswith("//") and "\\" not in url, url
    assert url_has_allowed_host_and_scheme(url, allowed_hosts=None), url
    assert not urlsplit(url).netloc, url


# 1. PageParts on error pages never leave the site

EVIL_PATHS = [
    "//evil.example/\x01",
    "/\\evil.example/\x01",
    "///evil.example/\x01",
    "/\\/evil.example/\x01",
    "//evil.example/",
    "/\\evil.example/",
    "/%2F/evil.example/\x01",
    "/\t/evil.example/\x01",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", EVIL_PATHS)
def test_the_400_pages_links_stay_on_the_site(client, path):
    # The test client would read `//host/...` as a host; the raw path is what a client sends.
    query = "" if "\x01" in path else "q=%01"
    response = client.get("/", PATH_INFO=path, QUERY_STRING=query)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "evil.example" not in html.replace("&quot;", "")
    for url in PageParts(html).urls:
        assert_same_site(url)
    assert '<a href="/">Start again without filters</a>' in html


@pytest.mark.django_db
def test_the_400_page_of_a_list_starts_again_on_that_list(client):
    response = client.get("/releases/", {"date_after": "not-a-date", "kind": "news"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert '<a href="/releases/">Start again without filters</a>' in response.content.decode()


@pytest.mark.django_db
def test_the_start_again_link_is_encoded_as_a_path(client):
    response = client.get("/releases/", {"date_after": "x"}, PATH_INFO="/releases/")
    assert '<a href="/releases/">' in response.content.decode()
    assert same_site_path("/a b/?c#d") == "/a%20b/%3Fc%23d"
    assert same_site_path("") == "/"
    assert same_site_path("javascript:alert(1)") == "/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "template", ["400.html", "403.html", "403_csrf.html", "403_lockout.html", "404.html",
                 "500.html", "503.html"],
)  # fmt: skip
@pytest.mark.parametrize("path", EVIL_PATHS[:4])
def test_every_error_page_links_only_to_this_site(template, path):
    request = RequestFactory().get("/", PATH_INFO=path)
    context = {"errors": {"address": ["contains a control character"]}}
    html = render_to_string(template, context, request=request)
    for url in PageParts(html).urls:
        assert_same_site(url)
    without_request = render_to_string(template, context)  # as Django's own handlers do
    for url in PageParts(without_request).urls:
        assert_same_site(url)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["//evil.example/", "/\\evil.example/", "///evil.example/"])
def test_the_404_page_links_stay_on_the_site(client, path):
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == HTTPStatus.NOT_FOUND
    for url in PageParts(response.content.decode()).urls:
        assert_same_site(url)


# 2. 405 for methods the public site does not take


def public_urls() -> list[str]:
    speaker, event = make_speaker(), make_event()  # visible through a public item
    release = make_release(tags=["ukraine"], speakers=[speaker], events=[event])
    speech = make_speech(speakers=[speaker], event=event)
    year = localtime(release.published_at).year
    return [
        "/", "/releases/", release.get_absolute_url(), "/speeches/", speech.get_absolute_url(),
        "/speakers/", speaker.get_absolute_url(), "/events/", event.get_absolute_url(),
        "/tags/", "/tags/ukraine/", "/search/?q=nato", "/archive/", f"/archive/{year}/",
        "/feeds/releases/", "/feeds/releases/atom/", "/feeds/speeches/",
        "/feeds/speeches/atom/", "/sitemap.xml", "/sitemap-pages.xml", "/robots.txt",
        "/healthz", "/no-such-page/",
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
def test_public_urls_answer_405_to_other_methods_before_csrf(method):
    client = Client(enforce_csrf_checks=True)  # as a browser is treated
    for url in public_urls():
        response = getattr(client, method)(url)
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED, (method, url)
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert "Form expired" not in response.content.decode()


@pytest.mark.django_db
def test_public_urls_still_answer_get_head_and_options(client):
    for url in public_urls()[:-1]:
        assert client.get(url).status_code == HTTPStatus.OK, url
        assert client.head(url).status_code == HTTPStatus.OK, url
        options = client.options(url)
        assert options.status_code == HTTPStatus.OK and options["Allow"] == "GET, HEAD, OPTIONS"
        assert options.content == b""


@pytest.mark.django_db
def test_the_admin_still_takes_post_and_still_checks_csrf(django_user_model):
    django_user_model.objects.create_user("ada", password="the-right-password-3", is_staff=True)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/admin/login/", {"username": "ada"}).status_code == HTTPStatus.FORBIDDEN
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "ada", "password": "the-right-password-3"}
    )
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == "/admin/"
    release = make_release()
    change = f"/admin/articles/release/{release.pk}/change/"
    assert client.post(change, {}).status_code != HTTPStatus.METHOD_NOT_ALLOWED


def test_no_public_template_has_a_form_that_posts():
    """Except the alert pages (templates/distribution/), whose forms post under /alerts/,
    the one public prefix that takes POST (ReadOnlyPublicSiteMiddleware)."""
    public = [
        path
        for path in (ROOT / "templates").rglob("*.html")
        if not {"admin", "distribution"} & set(path.relative_to(ROOT / "templates").parts)
    ]
    assert public
    for template in public:
        text = template.read_text().lower()
        assert 'method="post"' not in text and "method='post'" not in text, template
    for template in (ROOT / "templates" / "distribution").rglob("*.html"):
        for action in re.findall(r'method="post" action="([^"]*)"', template.read_text()):
            assert action.startswith("{% url 'distribution:"), template
        assert "{% url 'distribution:advance-copy'" not in template.read_text()


def test_the_alert_pages_take_post_and_nothing_else_does(client):
    assert client.post("/alerts/", {}).status_code == HTTPStatus.BAD_REQUEST  # a form error
    assert client.post("/advance/x/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.post("/releases/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


# 3. Login lockout by username and the client's own address


def fail_until_locked(client: Client, username: str, limit: int, **environ) -> None:
    for _ in range(limit - 1):
        failed = client.post("/admin/login/", {"username": username, "password": "x"}, **environ)
        assert failed.status_code == HTTPStatus.OK
    last = client.post("/admin/login/", {"username": username, "password": "x"}, **environ)
    assert last.status_code == HTTPStatus.TOO_MANY_REQUESTS


def sign_in(username: str, password: str, **environ) -> int:
    response = Client().post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **environ
    )
    return response.status_code


@pytest.mark.django_db
def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings, django_user_model):
    settings.TRUSTED_PROXY_COUNT = 0
    django_user_model.objects.create_user("eve", password="the-right-password-4", is_staff=True)
    client = Client()
    for number in range(settings.AXES_FAILURE_LIMIT):
        # A new spoofed address each time: still one client, locked at the limit.
        spoof = {"REMOTE_ADDR": "192.0.2.10", "HTTP_X_FORWARDED_FOR": f"203.0.113.{number}"}
        response = client.post("/admin/login/", {"username": "eve", "password": "x"}, **spoof)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}
    # The right password from that address is refused, even with another spoofed header...
    spoofed = {"REMOTE_ADDR": "192.0.2.10", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert sign_in("eve", "the-right-password-4", **spoofed) == HTTPStatus.TOO_MANY_REQUESTS
    # ...and the same username from another address is not locked.
    other = {"REMOTE_ADDR": "192.0.2.20"}
    assert sign_in("eve", "the-right-password-4", **other) == HTTPStatus.FOUND


@pytest.mark.django_db
def test_behind_one_proxy_each_client_is_locked_separately(settings, django_user_model):
    settings.TRUSTED_PROXY_COUNT = 1
    django_user_model.objects.create_user("edna", password="the-right-password-5", is_staff=True)
    proxy = "10.0.0.2"  # every request comes from the proxy
    attacker = {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    fail_until_locked(Client(), "edna", settings.AXES_FAILURE_LIMIT, **attacker)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # The editor, behind the same proxy from her own address, is not locked out.
    editor = {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert sign_in("edna", "the-right-password-5", **editor) == HTTPStatus.FOUND
    # The attacker cannot step out of the lockout by writing another address on the left.
    prefixed = {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.8, 203.0.113.7"}
    assert sign_in("edna", "the-right-password-5", **prefixed) == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.1", "10.0.0.1"),
        (1, "203.0.113.1", "203.0.113.1"),
        (1, "198.51.100.9, 203.0.113.1", "203.0.113.1"),
        (2, "198.51.100.9, 203.0.113.1, 10.0.0.5", "203.0.113.1"),
        (2, "203.0.113.1", "203.0.113.1"),  # fewer hops: the left-most was written by a proxy
        (1, "", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_address_is_taken_n_hops_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# 4. Images from other sites are dropped


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/pixel.png",
        "http://evil.example/pixel.png",
        "HTTPS://evil.example/pixel.png",
        "//evil.example/pixel.png",
        "///evil.example/pixel.png",
        "/\\evil.example/pixel.png",
        " //evil.example/pixel.png",
        "/&#9;/evil.example/pixel.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "pixel.png",
    ],
)
def test_images_that_are_not_paths_on_this_site_are_dropped(src):
    cleaned = sanitise(
        f'<figure><img src="{src}" alt="A photo"><figcaption>C</figcaption></figure>'
    )
    assert cleaned == "<figure><figcaption>C</figcaption></figure>"


def test_images_on_this_site_are_kept():
    html = '<p><img src="/media/photos/summit.jpg" alt="The summit" width="640" height="360"></p>'
    assert sanitise(html) == html


@pytest.mark.django_db
def test_external_images_are_dropped_on_save():
    release = make_release(
        body='<p>Text</p><img src="https://evil.example/a.png" alt="x"><img src="/media/b.png">'
    )
    release.refresh_from_db()
    assert release.body == '<p>Text</p><img src="/media/b.png">'


@pytest.mark.django_db
def test_external_images_stored_earlier_are_dropped_on_output(client):
    release = make_release()
    stored = '<p>Text</p><img src="https://evil.example/a.png" alt="x"><img src="/media/b.png">'
    Release.objects.filter(pk=release.pk).update(body=stored)  # as if saved before the rule
    for url in (release.get_absolute_url(), "/feeds/releases/", "/feeds/releases/atom/"):
        body = client.get(url).content.decode()
        assert "evil.example" not in body, url
        assert "/media/b.png" in body, url
    rss = ElementTree.fromstring(client.get("/feeds/releases/").content)
    description = rss.find("channel/item/description").text
    assert "<img" in description and "evil.example" not in description


# 5. Absolute URLs come from the configured site address, not the Host header

PORT_HOST = {"HTTP_HOST": "testserver:8443"}


@pytest.fixture
def site_address(settings):
    settings.ALLOWED_HOSTS = ["testserver"]  # matches testserver:8443 too (ports are ignored)
    settings.NEWSROOM_SITE_URL = SITE
    return SITE


def absolute_urls(value) -> list[str]:
    """Every http(s) URL anywhere in a JSON-LD value."""
    if isinstance(value, dict):
        return [url for item in value.values() for url in absolute_urls(item)]
    if isinstance(value, list):
        return [url for item in value for url in absolute_urls(item)]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return [value] if "schema.org" not in value else []
    return []


@pytest.mark.django_db
def test_detail_pages_canonical_opengraph_and_json_ld_use_the_site_address(client, site_address):
    speaker, event = make_speaker(), make_event()
    release = make_release(speakers=[speaker], events=[event])
    speech = make_speech(speakers=[speaker], event=event)
    for item in (release, speech):
        response = client.get(item.get_absolute_url(), **PORT_HOST)
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert ":8443" not in html
        page = PageParts(html)
        expected = SITE + item.get_absolute_url()
        assert page.canonical == [expected]
        assert page.meta["og:url"] == [expected]
        data = json.loads(page.json_ld[0])
        assert data["url"] == expected and data["mainEntityOfPage"]["@id"] == expected
        urls = absolute_urls(data)
        assert len(urls) >= 4  # the item twice, the publisher, a speaker or event
        assert all(url.startswith(SITE + "/") for url in urls), urls


@pytest.mark.django_db
def test_feeds_use_the_site_address(client, site_address):
    release, speech = make_release(), make_speech()
    atom = "{http://www.w3.org/2005/Atom}"
    for url, item in (("/feeds/releases/?kind=press-release", release),
                      ("/feeds/speeches/", speech)):  # fmt: skip
        response = client.get(url, **PORT_HOST)
        assert ":8443" not in response.content.decode()
        channel = ElementTree.fromstring(response.content).find("channel")
        assert channel.findtext("link").startswith(SITE + "/")
        assert channel.find(f"{atom}link").get("href") == SITE + url
        entry = channel.find("item")
        assert entry.findtext("link") == SITE + item.get_absolute_url()
        assert entry.findtext("guid") == SITE + item.get_absolute_url()
    response = client.get("/feeds/releases/atom/", **PORT_HOST)
    feed = ElementTree.fromstring(response.content)
    assert ":8443" not in response.content.decode()
    assert feed.findtext(f"{atom}id") == SITE + "/releases/"
    hrefs = [link.get("href") for link in feed.iter(f"{atom}link")]
    assert hrefs and all(href.startswith(SITE + "/") for href in hrefs)
    assert feed.find(f"{atom}entry/{atom}id").text == SITE + release.get_absolute_url()


@pytest.mark.django_db
def test_sitemaps_and_robots_use_the_site_address(client, site_address):
    make_release(), make_speech(), make_speaker(), make_event()
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = client.get("/sitemap.xml", **PORT_HOST)
    sections = [loc.text for loc in ElementTree.fromstring(index.content).iter(f"{namespace}loc")]
    assert sections and all(loc.startswith(SITE + "/sitemap-") for loc in sections), sections
    for section in sections:
        response = client.get(section.removeprefix(SITE), **PORT_HOST)
        assert response.status_code == HTTPStatus.OK
        locs = [
            loc.text for loc in ElementTree.fromstring(response.content).iter(f"{namespace}loc")
        ]
        assert all(loc.startswith(SITE + "/") for loc in locs), locs
        assert ":8443" not in response.content.decode()
    robots = client.get("/robots.txt", **PORT_HOST).content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in robots.splitlines()


@pytest.mark.django_db
def test_without_a_site_address_development_uses_the_request(client, settings):
    settings.NEWSROOM_SITE_URL = ""
    release = make_release()
    page = PageParts(client.get(release.get_absolute_url()).content.decode())
    assert page.canonical == [f"http://testserver{release.get_absolute_url()}"]


def load_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    names = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "NEWSROOM_SITE_URL", "TRUSTED_PROXY_COUNT"}
    environment = {k: v for k, v in os.environ.items() if k not in names}
    environment.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import "
         f"settings; print({code})"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=False,
    )  # fmt: skip


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "news.example.org,www.news.example.org",
}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ""),  # development: the request's own address
        (PRODUCTION, "https://news.example.org"),  # production: the first allowed host
        (
            {**PRODUCTION, "NEWSROOM_SITE_URL": "https://News.Example.org/"},
            "https://news.example.org",
        ),
        ({"NEWSROOM_SITE_URL": "http://localhost:8000"}, "http://localhost:8000"),
    ],
)
def test_site_address_setting(env, expected):
    result = load_settings("repr(settings.NEWSROOM_SITE_URL)", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(expected)


@pytest.mark.parametrize(
    "value",
    ["news.example.org", "ftp://news.example.org", "https://news.example.org/newsroom",
     "https://news.example.org/?a=1", "https://user@news.example.org", "https://",
     "https://news.example.org:port"],
)  # fmt: skip
def test_invalid_site_addresses_are_refused_at_start_up(value):
    result = load_settings("settings.NEWSROOM_SITE_URL", NEWSROOM_SITE_URL=value)
    assert result.returncode != 0
    assert "NEWSROOM_SITE_URL" in result.stderr


def test_a_wildcard_host_needs_a_site_address():
    result = load_settings("settings.NEWSROOM_SITE_URL", **{**PRODUCTION, "ALLOWED_HOSTS": "*"})
    assert result.returncode != 0 and "Set NEWSROOM_SITE_URL" in result.stderr


@pytest.mark.parametrize(("value", "ok"), [("", True), ("2", True), ("-1", False), ("x", False)])
def test_trusted_proxy_count_setting(value, ok):
    result = load_settings("settings.TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT=value)
    assert (result.returncode == 0) is ok, result.stderr
    if not ok:
        assert "TRUSTED_PROXY_COUNT" in result.stderr
