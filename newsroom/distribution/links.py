"""Every link a distribution email carries, and how each is checked.

- Confirming an alert: the address and filter, signed and timestamped (valid for
  `CONFIRM_DAYS`); nothing is stored until the reader confirms.
- Managing and unsubscribing: the subscription's id, signed (no expiry: every alert
  carries them).
- An advance copy: an HMAC of the row's id and nonce; the database keeps only its
  SHA-256 digest, so a copy of the table opens nothing.
"""

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

# Emails are written by the worker, with no request to take an address from: the site's
# NEWSROOM_SITE_URL, or in development (unset) the address `make run` serves.
DEVELOPMENT_ROOT = "http://127.0.0.1:8000"
CONFIRM_DAYS = 3
CONFIRM_SALT = "distribution.confirm"
MANAGE_SALT = "distribution.manage"
ADVANCE_SALT = "distribution.advance-copy"


def root() -> str:
    return settings.NEWSROOM_SITE_URL or DEVELOPMENT_ROOT


def absolute_url(path: str) -> str:
    return root() + path


def confirm_token(request_data: dict) -> str:
    return signing.dumps(request_data, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> dict | None:
    """The signed request, or None when forged, altered or older than CONFIRM_DAYS."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 24 * 3600)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return data if isinstance(data, dict) else None


def manage_token(subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=MANAGE_SALT)


def read_manage_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def manage_url(subscription_id: int) -> str:
    token = manage_token(subscription_id)
    return absolute_url(reverse("distribution:manage", args=[token]))


def unsubscribe_url(subscription_id: int) -> str:
    token = manage_token(subscription_id)
    return absolute_url(reverse("distribution:unsubscribe", args=[token]))


def new_nonce() -> str:
    return secrets.token_hex(16)


def advance_token(copy_id: int, nonce: str) -> str:
    return salted_hmac(ADVANCE_SALT, f"{copy_id}:{nonce}", algorithm="sha256").hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def advance_url(copy_id: int, nonce: str) -> str:
    return absolute_url(reverse("distribution:advance-copy", args=[advance_token(copy_id, nonce)]))
