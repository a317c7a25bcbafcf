"""The client's address, for login throttling (django-axes' `AXES_CLIENT_IP_CALLABLE`).

Behind a reverse proxy every request comes from the proxy's address, so throttling by
`REMOTE_ADDR` would let one attacker lock an editor out for everyone. Each trusted proxy
appends the address it received the request from to `X-Forwarded-For`; the entries on
the right were written by the proxies, anything further left by the client, who can
write what it likes. So with `TRUSTED_PROXY_COUNT=N` the client is the Nth entry from
the right, and with 0 (the default, no proxy) `X-Forwarded-For` is ignored.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client `TRUSTED_PROXY_COUNT` proxies away, else `REMOTE_ADDR`."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    if not forwarded:
        return remote  # not through the proxies (e.g. a check from the proxy's host)
    # Fewer entries than proxies: the request entered the chain after the first proxy,
    # and its left-most entry was still written by a trusted one.
    chosen = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    return _address(chosen) or remote
