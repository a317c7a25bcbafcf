"""A change to the library changes the pages that show it; an item's text says which
images it shows; a deleted image or document takes its files with it."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from articles.cache import bump_content_version


def sync_figures_after_save(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata brings the links themselves (backups) or has no figures (seeds)
        return
    from newsroom.media.figures import sync_figures

    sync_figures(instance)


def delete_files(sender, instance, **kwargs) -> None:
    """After the row is gone (and only if the deletion commits), its files go too."""
    names = instance.file_names() if hasattr(instance, "file_names") else [instance.file.name]
    storage = instance.file.storage

    def remove() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(remove, robust=True)


def connect() -> None:
    from articles.models import (
        Release,
        ReleaseDownload,
        ReleaseFigure,
        Speech,
        SpeechFigure,
    )
    from newsroom.media.models import Document, Image

    for model in (Image, Document, ReleaseDownload, ReleaseFigure, SpeechFigure):
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-{model}")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"del-{model}")
    for model in (Image, Document):
        post_delete.connect(delete_files, sender=model, dispatch_uid=f"files-{model}")
    for model in (Release, Speech):
        post_save.connect(sync_figures_after_save, sender=model, dispatch_uid=f"figures-{model}")
