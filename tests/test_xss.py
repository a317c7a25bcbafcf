"""No script runs from content: payloads planted in every field a press officer can
fill never come out active, on any public page, feed, JSON-LD block or admin page."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from articles.models import Release, Speech
from articles.querysets import Status
from tests.factories import make_event, make_release, make_speaker, make_speech
from tests.support import public_patterns

pytestmark = pytest.mark.django_db

PAYLOAD = (
    '<script>alert("x")</script><img src=x onerror=alert(1)><svg onload=alert(1)></svg>'
    '<a href="javascript:alert(1)">j</a><a href="data:text/html,<script>alert(1)</script>">d</a>'
    '</script><iframe src="https://evil.example"></iframe>"\'><b onmouseover=alert(1)>x</b>'
)
INERT_SCRIPT_TYPES = {"application/ld+json", "application/json", "importmap"}
ACTIVE_TAGS = {"iframe", "object", "embed", "svg", "math", "base", "form"}


class ActiveContentFinder(HTMLParser):
    """Collects every place where markup could run script."""

    def __init__(self, allow_forms: bool):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.allow_forms = allow_forms
        self.in_script: str | None = None
        self.scripts: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            is_url = name in {"href", "src", "action", "formaction", "xlink:href"}
            if is_url and value and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                self.problems.append(f"<{tag} {name}={value[:40]}>")
        if tag == "script":
            kind = attributes.get("type", "")
            if "src" not in attributes and kind not in INERT_SCRIPT_TYPES:
                self.problems.append("inline <script>")
            self.in_script = kind
        elif tag in ACTIVE_TAGS and not (tag == "form" and self.allow_forms):
            self.problems.append(f"<{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = None

    def handle_data(self, data):
        if self.in_script is not None:
            self.scripts.append((self.in_script, data))


def assert_inert(html: str, where: str) -> None:
    finder = ActiveContentFinder(allow_forms=True)
    finder.feed(html)
    assert not finder.problems, (where, finder.problems)
    for kind, body in finder.scripts:
        if kind == "application/ld+json":
            data = json.loads(body)  # valid JSON, so the payload did not break out
            assert PAYLOAD not in body  # "<" is escaped inside JSON-LD
            assert data


@pytest.fixture
def planted():
    speaker = make_speaker(
        name=PAYLOAD[:190],
        slug="payload-speaker",
        role=PAYLOAD[:190],
        organisation=PAYLOAD[:190],
        country=PAYLOAD[:90],
        bio=PAYLOAD,
    )
    event = make_event(
        name=PAYLOAD[:190],
        slug="payload-event",
        location=PAYLOAD[:190],
        description=PAYLOAD,
        start_on=date(2024, 3, 12),
        tags=[PAYLOAD[:90]],
    )
    release = make_release(
        title=PAYLOAD[:290],
        slug="payload-release",
        summary=PAYLOAD,
        body=PAYLOAD,
        source=PAYLOAD[:90],
        tags=[PAYLOAD[:90], "Ukraine"],
        speakers=[speaker],
        events=[event],
    )
    speech = make_speech(
        title=PAYLOAD[:290],
        slug="payload-speech",
        summary=PAYLOAD,
        body=PAYLOAD,
        location=PAYLOAD[:190],
        tags=[PAYLOAD[:90], "Ukraine"],
        speakers=[speaker],
        event=event,
    )
    # As if written to the database by something other than save(): output must not trust it.
    for model in (Release, Speech):
        model.objects.update(body=PAYLOAD)
    Speech.objects.update(delivery_status="as-delivered")
    # Two public versions each, the later with a correction note; a withdrawn and a removed
    # release with their notices (issue 18: versions, diffs, the corrections record).
    for item in (release, speech):
        for minutes, note in ((1, ""), (2, PAYLOAD)):
            item.body = PAYLOAD if note else "<p>Before.</p>"
            if item is speech:  # the script as released, then the text as delivered
                item.delivery_status = "as-delivered" if note else "check-against-delivery"
            item._history_date = item.published_at + timedelta(minutes=minutes)
            kind = "correction" if note else ""
            attrs = {"change_kind": kind, "change_note": note}
            type(item).history.bulk_history_create(
                [item], update=True, custom_historical_attrs=attrs
            )
    for slug, status in (
        ("payload-withdrawn", Status.WITHDRAWN),
        ("payload-removed", Status.REMOVED),
    ):
        taken = make_release(title=PAYLOAD[:280], slug=slug, summary=PAYLOAD)
        taken.status, taken.withdrawn_at, taken.withdrawal_note = status, timezone.now(), PAYLOAD
        taken.save()
    return {"release": release, "speech": speech, "speaker": speaker, "event": event}


def body_html(data):
    """Every `body_html` of an API answer, however deep."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "body_html" and isinstance(value, str):  # not the schema's description
                yield value
            else:
                yield from body_html(value)
    elif isinstance(data, list):
        for value in data:
            yield from body_html(value)


def urls_for(planted) -> list[str]:
    from taggit.models import Tag

    values = {
        "articles:release-detail": {"slug": "payload-release"},
        "articles:speech-detail": {"slug": "payload-speech"},
        "articles:speaker-detail": {"slug": "payload-speaker"},
        "articles:event-detail": {"slug": "payload-event"},
        "articles:tag-detail": {"slug": Tag.objects.get(name=PAYLOAD[:90]).slug},
        "articles:archive-year": {"year": timezone.localtime(planted["release"].published_at).year},
        "articles:sitemap-section": {"section": "releases"},
        "api:release-detail": {"slug": "payload-release"},
        "api:speech-detail": {"slug": "payload-speech"},
        "api:speaker-detail": {"slug": "payload-speaker"},
        "api:event-detail": {"slug": "payload-event"},
        "api:tag-detail": {"slug": Tag.objects.get(name=PAYLOAD[:90]).slug},
    }
    for key in ("release", "speech"):
        item = planted[key]
        latest = item.history.public_versions().order_by("history_date").last().history_id
        values[f"articles:{key}-versions"] = {"slug": item.slug}
        values[f"articles:{key}-version"] = {"slug": item.slug, "version": latest}
        values[f"articles:{key}-version-changes"] = {"slug": item.slug, "version": latest}
    values["articles:speech-script-changes"] = {"slug": "payload-speech"}
    # A shared preview of the planted release (it is live; a draft's looks the same).
    from articles.preview_links import create_link

    link = create_link(item=planted["release"], user=None, days=1)
    values["articles:preview-link"] = {"token": link.token}
    values.update(distribution_values())
    urls = []
    for name, route, pattern in public_patterns():
        if pattern.pattern.converters:
            assert name in values, f"tell test_xss how to fill {name} ({route})"
            urls.append(reverse(name, kwargs=values[name]))
        else:
            urls.append(reverse(name))
    urls += ["/releases/?tag=ukraine", "/speeches/?q=alert", "/search/?q=alert"]
    urls += ["/releases/payload-withdrawn/"]
    urls += ["/alerts/?" + urlencode({"scope": "all", "q": PAYLOAD[:200], "tag": PAYLOAD[:90]})]
    return urls


def distribution_values() -> dict:
    """Alert pages whose filter is the payload; an advance copy of an embargoed payload
    item, sent to a contact whose name is the payload."""
    from django.contrib.contenttypes.models import ContentType

    from newsroom.distribution import alerts, links
    from newsroom.distribution.advance import issue_link
    from newsroom.distribution.models import AdvanceCopy, Contact, Subscription

    wanted = {"scope": "all", "q": PAYLOAD[:200], "speaker": PAYLOAD[:190]}
    cleaned = alerts.clean_filter(wanted)
    subscription = Subscription.objects.create(
        email="reader@example.org", filter_key=alerts.filter_key(cleaned), scope="all",
        q=cleaned["q"], speaker=cleaned["speaker"], confirmed_at=timezone.now(),
    )  # fmt: skip
    ahead = make_release(title=PAYLOAD[:280], slug="payload-ahead", summary=PAYLOAD,
                         published_at=timezone.now() + timedelta(hours=2))  # fmt: skip
    contact = Contact.objects.create(name=PAYLOAD[:190], email="anna@paper.example")
    copy = AdvanceCopy.objects.create(
        contact=contact, object_id=ahead.pk, content_type=ContentType.objects.get_for_model(ahead)
    )
    issue_link(copy)
    copy.save()
    manage = links.manage_token(subscription.pk)
    return {
        "distribution:confirm": {
            "token": links.confirm_token({"email": "a@b.org", "filter": wanted})
        },
        "distribution:manage": {"token": manage},
        "distribution:unsubscribe": {"token": manage},
        "distribution:advance-copy": {"token": links.advance_token(copy.pk, copy.nonce)},
    }


def test_public_pages_render_payloads_inert(client, planted):
    gone = client.get("/releases/payload-removed/")
    assert gone.status_code == HTTPStatus.GONE
    assert_inert(gone.content.decode(), "the 410 page")
    for url in urls_for(planted):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        kind = response["Content-Type"]
        body = response.content.decode()
        if "html" in kind:
            assert_inert(body, url)
        elif "json" in kind:  # the API: its HTML is body_html, sanitised on output
            for html in body_html(json.loads(body)):
                assert_inert(html, f"{url} body_html")
        elif "xml" in kind:
            root = ET.fromstring(response.content)
            for element in root.iter():
                # Feed fields that carry HTML (titles are plain text by the specs).
                carries_html = element.tag.split("}")[-1] in {"description", "content", "summary"}
                if carries_html and element.text:
                    assert_inert(element.text, f"{url} <{element.tag}>")


def test_admin_pages_render_payloads_inert(staff_client, planted):
    release, speech = planted["release"], planted["speech"]
    release.title = "Changed"
    release.save()
    first = release.history.order_by("history_date").first()
    last = release.history.order_by("history_date").last()
    model_admin = admin.site._registry[Release]
    urls = [
        "/admin/articles/release/",
        "/admin/articles/speech/",
        "/admin/articles/speaker/",
        "/admin/articles/event/",
        "/admin/taggit/tag/",
        reverse("admin:articles_release_change", args=[release.pk]),
        reverse("admin:articles_speech_change", args=[speech.pk]),
        reverse("admin:articles_release_history", args=[release.pk]),
        reverse("admin:articles_release_compare", args=[release.pk])
        + f"?from={first.history_id}&to={last.history_id}",
        model_admin.preview_url(release),
        admin.site._registry[Speech].preview_url(speech),
        "/admin/distribution/contact/",
        "/admin/distribution/advancecopy/",
        "/admin/distribution/subscription/",
        "/admin/distribution/alertsend/",
        "/admin/distribution/advancecopy/send/",
    ]
    distribution_values()
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        finder = ActiveContentFinder(allow_forms=True)
        finder.feed(response.content.decode())
        problems = [p for p in finder.problems if p not in {"<svg>"}]  # admin icons
        assert not problems, (url, problems)
