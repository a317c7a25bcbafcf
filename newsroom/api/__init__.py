"""The read-only JSON API for partners (`/api/v1/`): releases, speeches, speakers, events
and tags as data, through the same public rule and list filters as the pages.

Built on Django REST framework: `views.py` (the endpoints), `serializers.py` (what an item
says), `pagination.py` (cursor pages in the public order; numbered pages for ranked
search), `schema.py` (the OpenAPI description of the list filters, from the FilterSet),
`middleware.py` (CORS, the rate limit, conditional requests, Cache-Control, JSON errors
around the page cache), `errors.py` (the JSON error bodies), `links.py` (absolute URLs).
"""
