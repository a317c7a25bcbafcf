"""Alerts: a list filter as a subscription, and which subscriptions a new item matches.

A subscription keeps the list filters that describe *what* is published (tags, speaker,
event, kind, words), not dates. Matching reads the item's own tags, speakers, events and
kind once, selects the subscriptions whose structured filters it satisfies in one query,
and runs the words of the remaining ones through the site's own search, once per
distinct query, over `public()` restricted to the item: a subscriber is told of exactly
what the filtered list would show.
"""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from articles.filters import MAX_QUERY_LENGTH, MAX_SLUG_LENGTH, MAX_TAGS, PublicationFilterSet
from articles.models import Publication, Release, Speech
from articles.search import search
from newsroom.distribution.models import Scope, Subscription

FILTER_FIELDS = ("tags", "speaker", "event", "kind", "q")
MODELS = {Scope.RELEASES: Release, Scope.SPEECHES: Speech}


def scope_of(model: type[Publication]) -> str:
    return Scope.RELEASES if model is Release else Scope.SPEECHES


def clean_filter(data: dict) -> dict:
    """The canonical filter: scope, sorted unique tags, and the other values stripped."""
    tags = sorted({str(tag).strip() for tag in data.get("tags") or [] if str(tag).strip()})
    cleaned = {"scope": data.get("scope") or Scope.ALL, "tags": tags}
    for name in ("speaker", "event", "kind", "q"):
        cleaned[name] = str(data.get(name) or "").strip()
    return cleaned


def filter_errors(cleaned: dict) -> dict[str, str]:
    """What is wrong with a filter, by field (empty when it is fine)."""
    errors = {}
    if cleaned["scope"] not in Scope.values:
        errors["scope"] = "Choose releases, speeches or both."
    if len(cleaned["tags"]) > MAX_TAGS:
        errors["tag"] = f"Combine at most {MAX_TAGS} tags."
    if any(len(tag) > MAX_SLUG_LENGTH for tag in cleaned["tags"]):
        errors["tag"] = f"A tag is at most {MAX_SLUG_LENGTH} characters."
    for name in ("speaker", "event"):
        if len(cleaned[name]) > MAX_SLUG_LENGTH:
            errors[name] = f"At most {MAX_SLUG_LENGTH} characters."
    if len(cleaned["q"]) > MAX_QUERY_LENGTH:
        errors["q"] = f"At most {MAX_QUERY_LENGTH} characters."
    if cleaned["kind"]:
        models = [MODELS[cleaned["scope"]]] if cleaned["scope"] in MODELS else MODELS.values()
        if not any(cleaned["kind"] in model.Kind.values for model in models):
            errors["kind"] = "Choose one of the kinds the list offers."
    return errors


def filter_key(cleaned: dict) -> str:
    """One string per distinct filter (what the uniqueness of a subscription rests on)."""
    pairs = [("scope", cleaned["scope"])] + [("tag", tag) for tag in cleaned["tags"]]
    pairs += [(name, cleaned[name]) for name in ("speaker", "event", "kind", "q") if cleaned[name]]
    return urlencode(pairs)


def list_params(cleaned: dict) -> list[tuple[str, str]]:
    """The filter as the list pages' query parameters."""
    pairs = [("tag", tag) for tag in cleaned["tags"]]
    return pairs + [(n, cleaned[n]) for n in ("speaker", "event", "kind", "q") if cleaned[n]]


def list_url(cleaned: dict) -> str:
    """The public page that shows what the filter matches."""
    params = list_params(cleaned)
    if cleaned["scope"] == Scope.ALL:
        path = reverse("articles:search")
    else:
        name = "release-list" if cleaned["scope"] == Scope.RELEASES else "speech-list"
        path = reverse(f"articles:{name}")
    return path + (f"?{urlencode(params)}" if params else "")


def describe(cleaned: dict) -> str:
    """The filter in words, as a feed's title names it ("tagged Ukraine, speaker ...")."""
    model = MODELS.get(cleaned["scope"], Release)
    data = {name: value for name, value in list_params(cleaned) if name != "tag"}
    query = {**data, "tag": cleaned["tags"]}
    if cleaned["scope"] == Scope.ALL:
        query.pop("kind", None)
    filterset = PublicationFilterSet(_QueryDictLike(query), queryset=model.objects.public())
    words = filterset.describe() if filterset.is_valid() else ""
    noun = dict(Scope.choices)[cleaned["scope"]]
    if cleaned["scope"] == Scope.ALL and cleaned["kind"]:
        words = ", ".join(filter(None, [words, cleaned["kind"].replace("-", " ")]))
    return f"{noun}: {words}" if words else f"{noun}: everything published"


class _QueryDictLike(dict):
    def getlist(self, key, default=None):
        value = self.get(key, default or [])
        return value if isinstance(value, list) else [value]


def subscription_filter(subscription: Subscription) -> dict:
    return clean_filter({"scope": subscription.scope, **{
        name: getattr(subscription, name) for name in FILTER_FIELDS
    }})  # fmt: skip


def item_facts(item: Publication) -> dict:
    """The item's tags, speakers and events (slugs) and its kind, read once."""
    model = type(item)
    events = model.objects.filter(pk=item.pk, **{f"{model.EVENTS_FIELD}__isnull": False})
    return {
        "tags": set(item.tags.values_list("slug", flat=True)),
        "speakers": list(item.speakers.values_list("slug", flat=True)),
        "events": list(events.values_list(f"{model.EVENTS_FIELD}__slug", flat=True)),
        "kind": item.kind,
    }


def matching_subscriptions(item: Publication) -> list[tuple[int, str]]:
    """(id, frequency) of every subscription whose filter the public `item` satisfies.

    One query for the structured filters, then one search per distinct set of words
    among the candidates. An item that is not public matches nothing.
    """
    model = type(item)
    one_item = model.objects.public().filter(pk=item.pk)
    if not one_item.exists():
        return []
    return _matching(item, one_item)


def preview_subscribers(item: Publication) -> dict[str, int]:
    """For editors, before an item is public: how many subscriptions it will match, by
    frequency, as if it were public now with its current text, tags and people."""
    one_item = type(item).objects.filter(pk=item.pk)
    counts = {"immediate": 0, "daily": 0}
    for _, frequency in _matching(item, one_item):
        counts[frequency] = counts.get(frequency, 0) + 1
    return {"total": sum(counts.values()), **counts}


def _matching(item: Publication, one_item) -> list[tuple[int, str]]:
    model = type(item)
    facts = item_facts(item)
    rows = (
        Subscription.objects.filter(scope__in=[scope_of(model), Scope.ALL])
        .filter(Q(kind="") | Q(kind=facts["kind"]))
        .filter(Q(speaker="") | Q(speaker__in=facts["speakers"]))
        .filter(Q(event="") | Q(event__in=facts["events"]))
        .values_list("pk", "frequency", "tags", "q")
    )
    candidates = [(pk, frequency, q) for pk, frequency, tags, q in rows
                  if facts["tags"].issuperset(tags)]  # fmt: skip
    found = {q for q in {q for _, _, q in candidates if q} if search(one_item, q).exists()}
    return [(pk, frequency) for pk, frequency, q in candidates if not q or q in found]
