"""The allow-list for stored HTML (articles.html) on save and on output."""

import pytest

from articles.html import sanitise
from tests.factories import make_release

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitise_removes_active_content(payload):
    cleaned = sanitise(payload).lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "javascript:",
        "data:",
        "<iframe",
        "<svg",
        "style=",
    ):
        assert needle not in cleaned


def test_sanitise_keeps_the_editorial_allow_list():
    html = (
        "<h2>Heading</h2><p>Para<br>line <strong>bold</strong> <em>it</em> "
        '<a href="https://www.nato.int/">link</a></p><ul><li>one</li></ul>'
        "<blockquote><p>quote</p></blockquote>"
        '<figure><figcaption>Caption <small class="credit">© NATO</small></figcaption></figure>'
    )
    cleaned = sanitise(html)
    for kept in (
        "<h2>",
        "<br>",
        "<strong>",
        "<em>",
        "<ul>",
        "<li>",
        "<blockquote>",
        "<figcaption",
        'class="credit"',
        'href="https://www.nato.int/"',
    ):
        assert kept in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


@pytest.mark.django_db
def test_detail_page_never_trusts_stored_html(client):
    release = make_release()
    # Bypass save(): as if the database had been written by something else.
    type(release).objects.filter(pk=release.pk).update(body="<p>ok</p><script>alert(1)</script>")
    body = client.get(release.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body
    assert "<p>ok</p>" in body
