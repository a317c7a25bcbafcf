"""slug_address() gives exactly what reverse() gives, for any slug and script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from articles.addresses import slug_address

ROUTES = [
    "articles:release-detail",
    "articles:speech-detail",
    "articles:speaker-detail",
    "articles:event-detail",
    "articles:tag-detail",
]
SLUGS = [
    "nato-summit-2024",
    "mircea-geoană",
    "geoa\u0306na",
    "a_b~c",
    "x%20y",
    "100%",
    "é:@!$&'()*+,;=",
    "-",
]


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize("prefix", ["/", "/newsroom/"])
def test_matches_reverse(name, prefix, script_prefix):
    script_prefix(prefix)
    for slug in SLUGS:
        assert slug_address(name, slug) == reverse(name, kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["", "a/b"])
def test_refuses_what_reverse_refuses(slug):
    with pytest.raises(NoReverseMatch):
        slug_address("articles:release-detail", slug)
