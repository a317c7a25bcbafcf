"""Quiet gunicorn settings for the two-server test (no access log)."""

accesslog = None
errorlog = "-"
loglevel = "warning"
