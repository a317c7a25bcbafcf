"""The media library: images and documents that carry their credit, licence and alt text.

An image's original is stored cleaned (orientation applied, EXIF/GPS and other personal
metadata dropped) under an unguessable name, and its renditions are made once, when it is
uploaded, and described in its own row (`renditions`), so a page that shows it reads no
other table. Who may fetch a file is decided by `querysets.py` (the items that use it).
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.functional import cached_property

from articles.addresses import path_address
from articles.html import clean_text
from newsroom.media.querysets import DocumentQuerySet, ImageQuerySet


class Licence(models.TextChoices):
    ALL_RIGHTS_RESERVED = "all-rights-reserved", "All rights reserved"
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    PUBLIC_DOMAIN = "public-domain", "Public domain"


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.PUBLIC_DOMAIN: "https://creativecommons.org/publicdomain/mark/1.0/",
}


def licence_url(licence: str) -> str:
    """The licence's own page; for "all rights reserved", the newsroom's terms of use
    (`NEWSROOM_MEDIA_TERMS_URL`), if it has one."""
    if licence == Licence.ALL_RIGHTS_RESERVED:
        return settings.NEWSROOM_MEDIA_TERMS_URL
    return LICENCE_URLS.get(licence, "")


def original_path(instance: "Image", filename: str) -> str:
    """`images/<key>.<ext>`: the name says nothing of what the picture shows (an
    embargoed summit's name in a file name would leak through any log or referrer)."""
    return f"images/{instance.key.hex}{PurePosixPath(filename).suffix.lower()}"


def document_path(instance: "Document", filename: str) -> str:
    return f"documents/{instance.key.hex}/{PurePosixPath(filename).name}"


ALT_HELP = (
    "What the picture shows, for people who cannot see it (read aloud by screen readers). "
    "Required unless the picture is marked decorative."
)


class Image(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(
        upload_to=original_path,
        max_length=200,
        help_text="A JPEG, PNG, WebP or AVIF picture. Location data and camera details are "
        "removed when it is saved.",
    )
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    alt_text = models.CharField("alt text", max_length=300, blank=True, help_text=ALT_HELP)
    decorative = models.BooleanField(
        default=False,
        help_text="Only for a picture that adds nothing a reader needs (it then has no alt "
        "text). A press photo is never decorative.",
    )
    caption = models.TextField(blank=True, help_text="Shown under the picture.")
    credit = models.CharField(
        max_length=200, help_text='Who took or owns the picture, e.g. "NATO / Jane Doe".'
    )
    licence = models.CharField(
        max_length=30,
        choices=Licence.choices,
        default=Licence.ALL_RIGHTS_RESERVED,
        help_text="Shown with the picture and given to search engines and journalists.",
    )
    licence_page = models.URLField(
        "where to ask for a licence",
        blank=True,
        help_text="A page where journalists can ask to reuse the picture.",
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the picture comes from (agency, archive)."
    )
    taken_on = models.DateField("date taken", null=True, blank=True)
    focal_x = models.PositiveSmallIntegerField(
        "focal point across (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="Where the subject is, from the left edge (0) to the right (100): crops "
        "for thumbnails and sharing keep it in view.",
    )
    focal_y = models.PositiveSmallIntegerField(
        "focal point down (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="From the top (0) to the bottom (100).",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    file_size = models.PositiveBigIntegerField(default=0, editable=False)
    # [{"spec", "format", "width", "height", "name"}]: every stored rendition.
    renditions = models.JSONField(default=list, blank=True, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__lte=100, focal_y__lte=100),
                name="image_focal_point_inside",
            ),
            models.CheckConstraint(condition=~models.Q(credit=""), name="image_has_credit"),
        ]

    def __str__(self) -> str:
        label = self.alt_text or self.caption or self.original_name or self.key.hex
        return label[:80]

    def save(self, *args, **kwargs) -> None:
        for field in ("alt_text", "caption", "credit", "source"):
            setattr(self, field, clean_text(getattr(self, field)).strip())
        if self.decorative:
            self.alt_text = ""
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str]:
        return (self.key.hex,)

    @property
    def has_alt(self) -> bool:
        """Ready to be shown: alt text given, or marked decorative."""
        return self.decorative or bool(self.alt_text)

    @property
    def licence_url(self) -> str:
        return licence_url(self.licence)

    @property
    def acquire_licence_page(self) -> str:
        return self.licence_page or settings.NEWSROOM_MEDIA_LICENCE_PAGE or self.licence_url

    @property
    def url(self) -> str:
        return file_url(self.file.name)

    def variants(self, spec: str) -> dict[str, list[dict]]:
        """The renditions of `spec` by format, narrowest first."""
        found: dict[str, list[dict]] = {}
        for row in sorted(self.renditions, key=lambda row: row["width"]):
            if row["spec"] == spec:
                found.setdefault(row["format"], []).append({**row, "url": file_url(row["name"])})
        return found

    def rendition(self, spec: str, fmt: str | None = None) -> dict | None:
        """The widest rendition of `spec` (in `fmt`, else the fallback format), with the
        address of that one file only (an API list asks this 40 times a page)."""
        rows = sorted(
            (row for row in self.renditions if row["spec"] == spec), key=lambda row: row["width"]
        )

        def of(kind: str) -> list[dict]:
            return [row for row in rows if row["format"] == kind]

        chosen = of(fmt) if fmt else (of("jpeg") or of("png"))
        return {**chosen[-1], "url": file_url(chosen[-1]["name"])} if chosen else None

    @cached_property
    def share_image(self) -> dict | None:
        """The 1200×630 JPEG for OpenGraph and Twitter cards."""
        return self.rendition("share", "jpeg")

    def file_names(self) -> list[str]:
        return [self.file.name, *(row["name"] for row in self.renditions)]


def file_url(name: str) -> str:
    """Every media file is served by the view that applies the public rule."""
    return path_address("media_library:file", "name", name)


class Document(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        CHAPTER = "chapter", "Chapter"
        FACTSHEET = "factsheet", "Factsheet"
        ANNEX = "annex", "Annex"
        OTHER = "other", "Other"

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REPORT)
    language = models.CharField(
        max_length=12,
        default="en",
        validators=[
            RegexValidator(
                r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$", "A language code such as en, fr or pt-BR."
            )
        ],
        help_text="The document's language as a code: en, fr, pt-BR…",
    )
    file = models.FileField(
        upload_to=document_path,
        max_length=300,
        blank=True,
        help_text="A PDF, or a Word, Excel, PowerPoint or OpenDocument file.",
    )
    url = models.URLField(
        "external address",
        max_length=500,
        blank=True,
        help_text="Instead of a file: where the document is published elsewhere.",
    )
    file_size = models.PositiveBigIntegerField(default=0, editable=False)
    mime_type = models.CharField(max_length=120, blank=True, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url=""))
                | (~models.Q(file="") & models.Q(url="")),
                name="document_is_a_file_or_a_link",
                violation_error_message="Give a file or an external address, not both.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = clean_text(self.title).strip()
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str]:
        return (self.key.hex,)

    @property
    def href(self) -> str:
        return file_url(self.file.name) if self.file else self.url

    @property
    def language_name(self) -> str:
        """The language in English ("French"), else its code."""
        from django.utils.translation import get_language_info

        try:
            return get_language_info(self.language.lower())["name"]
        except KeyError:
            try:
                return get_language_info(self.language.split("-")[0])["name"]
            except KeyError:
                return self.language

    @property
    def type_label(self) -> str:
        """What readers see: "PDF", "Word"…, or "Link" for an external document."""
        if not self.file:
            return "Link"
        return TYPE_LABELS.get(self.mime_type, "File")


TYPE_LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
}


def image_object(image: Image, absolute) -> dict:
    """schema.org ImageObject of a picture, with its credit and licence (Google's image
    licence metadata: `creditText`, `copyrightNotice`, `license`, `acquireLicensePage`).
    `absolute` makes a site path an absolute URL."""
    shown = image.share_image or image.rendition("content")
    data = {
        "@type": "ImageObject",
        "contentUrl": absolute(shown["url"]) if shown else absolute(image.url),
        "url": absolute(shown["url"]) if shown else absolute(image.url),
        "width": shown["width"] if shown else image.width,
        "height": shown["height"] if shown else image.height,
        "creditText": image.credit,
        "copyrightNotice": image.credit,
    }
    if image.caption or image.alt_text:
        data["caption"] = image.caption or image.alt_text
    if image.licence_url:
        data["license"] = image.licence_url
    if image.acquire_licence_page:
        data["acquireLicensePage"] = image.acquire_licence_page
    return data
