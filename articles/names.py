"""What people type for a tag, speaker or event, read as the slug it means (issue 22).

A filter value that is not a slug may be a name ("Ukraine", "jens stoltenberg",
"Geoana" for "Geoană"), or the old slug of a tag merged into another: `resolve()` finds
the one slug it stands for, and the page redirects to the canonical address. A value
that matches nothing may be a near miss ("Ukr", "Stoltenburg"): `suggest()` offers the
closest names for "Did you mean …?". Both read the cached public indexes (slug -> (id,
name)) and run only for values that are not slugs already.
"""

import difflib
import unicodedata

from django.utils.text import slugify

MAX_SUGGESTIONS = 3
CLOSE_ENOUGH = 0.75  # difflib's ratio: "stoltenburg" and "stoltenberg" are 0.91


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio()


def fold(text: str) -> str:
    """Lower case without accents or extra spaces: "Geoană" and " GEOANA " -> "geoana"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def resolve(value: str, index: dict, redirects: dict | None = None) -> str | None:
    """The slug of `index` that `value` names: itself, a name or slug in any case and with
    or without accents, or an old slug in `redirects` (old slug -> slug); else None."""
    if value in index:
        return value
    if redirects and value in redirects and redirects[value] in index:
        return redirects[value]
    wanted = fold(value)
    if not wanted:
        return None
    by_slug = slugify(wanted)
    matches = {
        slug
        for slug, (_pk, name) in index.items()
        if fold(name) == wanted or fold(slug) == wanted or (by_slug and slug == by_slug)
    }
    return matches.pop() if len(matches) == 1 else None


def suggest(value: str, index: dict) -> list[tuple[str, str]]:
    """Up to three (slug, name) of `index` close to `value`: names starting with it or
    holding a word that does, then names spelt nearly the same."""
    wanted = fold(value)
    if not wanted:
        return []
    names = {slug: fold(name) for slug, (_pk, name) in index.items()}
    starts = [slug for slug, name in names.items() if name.startswith(wanted)]
    words = [
        slug
        for slug, name in names.items()
        if slug not in starts and any(word.startswith(wanted) for word in name.split())
    ]
    chosen = sorted(starts, key=names.get) + sorted(words, key=names.get)
    if len(chosen) < MAX_SUGGESTIONS and len(wanted) >= 3:
        # Spelt nearly the same as the whole name or one of its words ("Stoltenburg").
        scored = []
        for slug, name in names.items():
            if slug in chosen:
                continue
            score = max(similarity(wanted, part) for part in [name, *name.split()])
            if score >= CLOSE_ENOUGH:
                scored.append((-score, name, slug))
        chosen += [slug for _, _, slug in sorted(scored)]
    return [(slug, index[slug][1]) for slug in chosen[:MAX_SUGGESTIONS]]
