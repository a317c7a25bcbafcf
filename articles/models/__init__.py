"""The newsroom's content: speakers, events, releases and speeches.

`common` holds what every model shares (rich text, revisions, slugs, the content
version), `directory` the speakers and events, `publications` the publication
interface and releases, `speeches` speeches.
"""

from articles.models.common import (
    CLEANED_FIELDS,
    CORRECTION_GRACE,
    EDITOR_EXTENSIONS,
    ContentVersion,
    RevisionSnapshot,
    SlugManager,
    TaggedBase,
    now_ms,
    revisions,
    rich_text_field,
)
from articles.models.directory import (
    LISTED_HELP,
    Event,
    EventVersion,
    Speaker,
    SpeakerVersion,
    TaggedEvent,
)
from articles.models.editorial import PreviewLink, TagNote, TagRedirect
from articles.models.media_links import ReleaseDownload, ReleaseFigure, SpeechFigure
from articles.models.publications import ChangeNote, Link, Publication, Release, TaggedRelease
from articles.models.speeches import Speech, SpeechSpeaker, TaggedSpeech

__all__ = [
    "ChangeNote",
    "CLEANED_FIELDS",
    "CORRECTION_GRACE",
    "EDITOR_EXTENSIONS",
    "LISTED_HELP",
    "ContentVersion",
    "Event",
    "EventVersion",
    "Link",
    "PreviewLink",
    "Publication",
    "Release",
    "ReleaseDownload",
    "ReleaseFigure",
    "RevisionSnapshot",
    "SlugManager",
    "Speaker",
    "SpeakerVersion",
    "Speech",
    "SpeechFigure",
    "SpeechSpeaker",
    "TaggedBase",
    "TaggedEvent",
    "TaggedRelease",
    "TaggedSpeech",
    "TagNote",
    "TagRedirect",
    "now_ms",
    "revisions",
    "rich_text_field",
]
