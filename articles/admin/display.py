"""Display helpers for the admin: times shown in the newsroom's zone."""

from django.utils import timezone
from django.utils.formats import date_format


def local_time(moment) -> str:
    """A time in the newsroom's zone, with the zone named (e.g. "14 Mar 2024, 17:08 CET")."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'j M Y, H:i')} {local.tzname()}"
