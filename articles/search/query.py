"""The query language: one parser, `parse_query()`, for both engines."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# The bound on what a query sends to the database (`parse_query()`): its first 16 words
# or "quoted phrases", each maybe excluded with `-`, in `or` groups; the rest of the
# query is ignored. Whatever is typed, websearch_to_tsquery then reads at most 16 terms,
# 15 `or`/and between them and 16 `-`. Raw, a `q` of 200 characters could hold 200
# operators, and 33 hyphens in a row overflowed its 32-deep operator stack (a 500).
MAX_TERMS = 16
MAX_PHRASE_WORDS = 32  # words read from one quoted phrase; the phrase's start is matched


@dataclass(frozen=True)
class Term:
    """A word or a "quoted phrase" (its words in order), maybe excluded with `-`."""

    words: tuple[str, ...]
    excluded: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A query as `parse_query()` reads it: alternatives (`or`), each a group of terms.

    A row matches when it matches every term of one group (an excluded term: when it
    does not hold it). At most `MAX_TERMS` terms in all; no group is empty.
    """

    groups: tuple[tuple[Term, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(term for group in self.groups for term in group)

    @property
    def excludes(self) -> bool:
        return any(term.excluded for term in self.terms)

    def websearch(self) -> str:
        """The query rebuilt for `websearch_to_tsquery`, read back by `parse_query()` as is.

        Words joined by spaces, `-` before an excluded term, quotes around a phrase and
        ` or ` between groups: nothing else, so PostgreSQL reads the same bounded terms.
        """
        groups = (" ".join(_websearch_term(term) for term in group) for group in self.groups)
        return " or ".join(groups)


# Quotes as typed on phones and in other languages count as straight quotes.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
# A term: hyphens (exclusion), then a "quoted phrase" (an unclosed one runs to the end,
# as in websearch_to_tsquery) or a word. A word stops at space and at the characters
# websearch_to_tsquery reads as operators (`!&|()<`) or as the end of a word (`"`, `:`);
# those only separate terms.
_TERM = re.compile(r'(-*)(?:"([^"]*)"?|([^\s"!&|()<:]+))')
# A word of a phrase: leading hyphens are no exclusion there (nor for PostgreSQL).
_PHRASE_WORD = re.compile(r'-*([^\s"!&|()<:-][^\s"!&|()<:]*)')


@lru_cache(maxsize=256)
def parse_query(query: str | None) -> ParsedQuery:
    """The terms of a raw `q`: words, "quoted phrases", `-` exclusions and `or` groups.

    The query language of the README, read the way `websearch_to_tsquery` reads it,
    with everything else dropped: hyphens or quotes with no word, operator characters,
    punctuation alone, control and format characters (read as spaces), `or` with
    nothing on one side. A word is kept as typed (`nato-ukraine`, `U.S.`) when it holds
    a letter or digit. Only the first `MAX_TERMS` terms count, and a phrase's first
    `MAX_PHRASE_WORDS` words. Typographic quotes are quotes; input is NFC-normalised.
    """
    text = unicodedata.normalize("NFC", query or "").translate(_QUOTES)
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    groups: list[list[Term]] = [[]]
    count = 0
    for match in _TERM.finditer(text):
        hyphens, phrase, word = match.groups()
        if phrase is not None:
            words = tuple(_PHRASE_WORD.findall(phrase))
        elif not hyphens and word.lower() == "or":
            groups.append([])
            continue
        else:
            words = (word,)
        words = tuple(word for word in words if _has_letter_or_digit(word))[:MAX_PHRASE_WORDS]
        if not words:
            continue  # e.g. "-", "...", '""', "-(": stray punctuation
        groups[-1].append(Term(words, excluded=bool(hyphens)))
        count += 1
        if count == MAX_TERMS:
            break
    return ParsedQuery(tuple(tuple(group) for group in groups if group))


def _has_letter_or_digit(word: str) -> bool:
    return any(c.isalnum() for c in word)


def _websearch_term(term: Term) -> str:
    text = " ".join(term.words)
    if len(term.words) > 1 or _reads_as_or(text):
        text = f'"{text}"'  # in quotes, websearch_to_tsquery reads no `or`
    return f"-{text}" if term.excluded else text


def _reads_as_or(word: str) -> bool:
    """Whether websearch_to_tsquery might read the start of `word` as `or` ("or.", "or²").

    It does when "or" is followed by anything but a letter, digit, `-` or `_`; which
    characters are letters depends on the database's locale, so any non-ASCII one counts.
    """
    if word[:2].lower() != "or":
        return False
    if len(word) == 2:
        return True
    follower = word[2]
    return not (follower.isascii() and (follower.isalnum() or follower in "-_"))
