"""Content negotiation for a JSON-only API (DRF's `DEFAULT_CONTENT_NEGOTIATION_CLASS`)."""

from rest_framework.negotiation import BaseContentNegotiation


class AlwaysJson(BaseContentNegotiation):
    """JSON whatever the client's Accept header asks (no 406 for a browser's text/html):
    each view's first renderer, which is JSON (the schema's OpenAPI JSON)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
