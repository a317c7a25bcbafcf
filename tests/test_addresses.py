"""slug_address() and path_address() give exactly what reverse() gives, for any value and
script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from articles.addresses import path_address, slug_address

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


FILE_NAMES = [
    "images/2024/03/flags.jpg",
    "renditions/ab/flags-480w.avif",
    "documents/rapport annuel é.pdf",
    "a%20b/c?d#e.png",
    "x",
]


@pytest.mark.parametrize("prefix", ["/", "/newsroom/"])
def test_media_file_addresses_match_reverse(prefix, script_prefix):
    script_prefix(prefix)
    for name in FILE_NAMES:
        expected = reverse("media_library:file", kwargs={"name": name})
        assert path_address("media_library:file", "name", name) == expected


def test_an_empty_file_name_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        path_address("media_library:file", "name", "")
