"""What both engines' snippets share: the marks, the snippet text and `SnippetField`."""

import html
import re

from django.db.models import Expression, F, Func, TextField
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_WORDS = 35

# Private-use characters mark the matched words inside the database's output; they
# survive tag stripping and escaping, and only then become <mark> elements.
MARK_START, MARK_STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")
_TAG = re.compile(r"<[^>]*>")


class SnippetField(TextField):
    """Turns the marked text that either backend returns into safe HTML."""

    def from_db_value(self, value, expression, connection) -> SafeString:
        return _snippet_html(value)


class PlainSnippetField(TextField):
    """The same for a snippet of plain text (SQLite's index holds text, not HTML)."""

    def from_db_value(self, value, expression, connection) -> SafeString:
        return _snippet_html(value, plain=True)


def _snippet_html(raw: str | None, plain: bool = False) -> SafeString:
    if not raw:
        return mark_safe("")
    text = raw if plain else html.unescape(_TAG.sub(" ", raw))
    text = " ".join(text.split())
    marked = _MARKED.sub(r"<mark>\1</mark>", str(escape(text)))
    # Escaped just above: the only markup is the <mark> elements added here.
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_STOP, ""))


class _SnippetText(Func):
    """The text a snippet is taken from: the summary, escaped, then the HTML body.

    One SQL expression, `'<p>' || <summary with & < > escaped> || '</p> ' || <body>`,
    valid on both backends (the plain-text summary can then precede the HTML body).
    """

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        (summary, summary_params), (body, body_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        escaped = f"COALESCE({summary}, '')"
        for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            escaped = f"REPLACE({escaped}, '{character}', '{entity}')"
        sql = f"('<p>' || {escaped} || '</p> ' || COALESCE({body}, ''))"
        return sql, (*summary_params, *body_params)


def _snippet_document(body: Expression | None = None) -> _SnippetText:
    return _SnippetText(F("summary"), body or F("body"))
