"""Links from releases and speeches to the media library (newsroom/media/): the figures
in their text and a release's ordered downloads. Lead images and portraits are columns
of the items themselves.

A figure link is written from the text on every save (`newsroom.media.figures`), so the
library knows where each image is used and the public rule for files can ask it. Both
kinds PROTECT the image or document: what a page shows cannot be deleted from under it.
"""

from django.db import models

from articles.models.publications import Release
from articles.models.speeches import Speech


class ReleaseFigure(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="figure_links")
    image = models.ForeignKey(
        "media_library.Image", on_delete=models.PROTECT, related_name="release_figures"
    )

    class Meta:
        verbose_name = "figure in a release"
        constraints = [
            models.UniqueConstraint(fields=["release", "image"], name="release_figure_once")
        ]

    def __str__(self) -> str:
        return f"{self.image} in {self.release}"


class SpeechFigure(models.Model):
    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="figure_links")
    image = models.ForeignKey(
        "media_library.Image", on_delete=models.PROTECT, related_name="speech_figures"
    )

    class Meta:
        verbose_name = "figure in a speech"
        constraints = [
            models.UniqueConstraint(fields=["speech", "image"], name="speech_figure_once")
        ]

    def __str__(self) -> str:
        return f"{self.image} in {self.speech}"


class ReleaseDownloadManager(models.Manager):
    def get_by_natural_key(self, release_slug: str, document_key: str):
        return self.get(release__slug=release_slug, document__key=document_key)


class ReleaseDownload(models.Model):
    """A document offered under "Downloads" on a release, in the editor's order."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="downloads")
    document = models.ForeignKey(
        "media_library.Document", on_delete=models.PROTECT, related_name="release_downloads"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = ReleaseDownloadManager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "download"
        constraints = [
            models.UniqueConstraint(fields=["release", "document"], name="release_download_once")
        ]

    def __str__(self) -> str:
        return f"{self.document} on {self.release}"

    def natural_key(self) -> tuple[str, str]:
        return (self.release.slug, self.document.key.hex)

    natural_key.dependencies = ["articles.release", "media_library.document"]
