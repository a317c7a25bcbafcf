"""Any change to newsroom content invalidates the public caches at once."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag

from articles import models
from articles.cache import bump_content_version

CONTENT_MODELS = [
    models.Speaker,
    models.Event,
    models.SpeakerVersion,
    models.EventVersion,
    models.Release,
    models.Speech,
    models.SpeechSpeaker,
    models.TaggedRelease,
    models.TaggedSpeech,
    models.TaggedEvent,
    Tag,
    # A topic's description and a merged tag's old address show on public pages.
    models.TagNote,
    models.TagRedirect,
    # Revisions carry the public change notes (issue 18): a note written or changed
    # changes the item's page, its versions and the corrections record.
    models.Release.history.model,
    models.Speech.history.model,
]


def connect() -> None:
    for model in CONTENT_MODELS:
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-{model}")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"del-{model}")
    for through in (models.Release.speakers.through, models.Release.events.through):
        m2m_changed.connect(bump_content_version, sender=through, dispatch_uid=f"m2m-{through}")


def connect_revisions() -> None:
    from django.db.models.signals import pre_save
    from simple_history.signals import pre_create_historical_record

    from articles.revisions import fill_snapshot, fix_loaded_revision_id, keep_baseline

    for model in (models.Release, models.Speech):
        history_model = model.history.model
        pre_create_historical_record.connect(
            fill_snapshot, sender=history_model, dispatch_uid=f"snapshot-{model}"
        )
        pre_save.connect(fix_loaded_revision_id, sender=history_model, dispatch_uid=f"fix-{model}")
        pre_save.connect(keep_baseline, sender=model, dispatch_uid=f"baseline-{model}")


def refuse_naive_datetimes(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save receiver for loaded data: a naive datetime would be read in the server's
    zone and could silently move an embargo, so a fixture or backup must state its zone."""
    if not raw:
        return
    from django.utils import timezone

    for field in instance._meta.concrete_fields:
        if field.get_internal_type() == "DateTimeField":
            value = getattr(instance, field.attname)
            if value is not None and timezone.is_naive(value):
                raise ValueError(
                    f"{field.name}={value.isoformat()} has no time zone; write it in UTC "
                    f"with a Z, e.g. {value.isoformat()}Z"
                )


def clean_tag_name(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save receiver: tag names go into feeds (categories) too."""
    from articles.html import clean_text

    if not raw:
        instance.name = clean_text(instance.name)


def connect_fixture_guards() -> None:
    from django.db.models.signals import pre_save as tag_pre_save

    tag_pre_save.connect(clean_tag_name, sender=Tag, dispatch_uid="clean-tag-name")
    from django.db.models.signals import pre_save

    for model in CONTENT_MODELS:  # revisions included
        pre_save.connect(refuse_naive_datetimes, sender=model, dispatch_uid=f"naive-{model}")
