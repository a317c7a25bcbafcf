"""English is British English here, in whatever variant a browser asks for: day before
month when reading and writing dates (an embargo typed as 05/12/2026 is 5 December)."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
