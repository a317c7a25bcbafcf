from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()

ALERT_PARAMETERS = ("speaker", "event", "kind", "q")


@register.simple_tag(takes_context=True)
def alert_url(context) -> str:
    """The sign-up address for the current page's filter: its tags, speaker, event, kind
    and words (dates and the page number are not part of an alert). The release and
    speech lists subscribe to their kind of item, the search page to its tab."""
    request = context["request"]
    page = request.resolver_match.url_name if request.resolver_match else ""
    scope = {"release-list": "releases", "speech-list": "speeches"}.get(page) or {
        "releases": "releases",
        "speeches": "speeches",
    }.get(request.GET.get("type", ""), "all")
    pairs = [("scope", scope)] + [("tag", tag) for tag in request.GET.getlist("tag")[:6]]
    pairs += [(name, request.GET[name]) for name in ALERT_PARAMETERS if request.GET.get(name)]
    return f"{reverse('distribution:subscribe')}?{urlencode(pairs)}"


@register.inclusion_tag("includes/_follow_subject.html")
def follow_subject(parameter: str, slug: str, name: str) -> dict:
    """The "Follow" links of a topic's, speaker's or event's page: the release and speech
    feeds and email alerts for that one filter (`tag`, `speaker` or `event`)."""
    query = urlencode({parameter: slug})

    def feed(route: str) -> str:
        return f"{reverse(route)}?{query}"

    return {
        "name": name,
        "feeds": [
            ("Releases", feed("articles:release-feed"), feed("articles:release-feed-atom")),
            ("Speeches", feed("articles:speech-feed"), feed("articles:speech-feed-atom")),
        ],
        "alerts": f"{reverse('distribution:subscribe')}?{urlencode({'scope': 'all'})}&{query}",
    }
