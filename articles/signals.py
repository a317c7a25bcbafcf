"""Any change to newsroom content invalidates the public caches at once."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag

from articles import models
from articles.cache import bump_content_version

CONTENT_MODELS = [
    models.Speaker,
    models.Event,
    models.Release,
    models.Speech,
    models.SpeechSpeaker,
    models.TaggedRelease,
    models.TaggedSpeech,
    models.TaggedEvent,
    Tag,
]


def connect() -> None:
    for model in CONTENT_MODELS:
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-{model}")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"del-{model}")
    for through in (models.Release.speakers.through, models.Release.events.through):
        m2m_changed.connect(bump_content_version, sender=through, dispatch_uid=f"m2m-{through}")
