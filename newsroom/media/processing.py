"""Uploads decoded by content, cleaned, and their renditions made once.

Pillow does all of it (current wheels read and write AVIF and WebP): one well-kept
library the project already had, no service or native tool to install. Every check
reads the file's bytes, never its name or the browser's content type.
"""

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError, features

# Decoded format -> stored extension. MPO is a camera JPEG carrying extra frames (depth
# maps, previews): its first frame is kept, as a JPEG.
FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}


@dataclass(frozen=True)
class Spec:
    """A family of renditions: the widths a layout needs, and a crop if it has one."""

    name: str
    widths: tuple[int, ...]
    ratio: tuple[int, int] | None = None  # width:height of a focal-point crop
    formats: tuple[str, ...] = ("avif", "webp", "fallback")


SPECS = [
    # The article column is 42rem (672 px): 1x and 2x screens, and phones.
    Spec("content", (480, 960, 1440)),
    # List thumbnails (3:2, shown 160 px wide) and portraits.
    Spec("thumb", (160, 320), ratio=(3, 2)),
    # OpenGraph / Twitter / JSON-LD: 1200x630, JPEG (what every card reader takes).
    Spec("share", (1200,), ratio=(1200, 630), formats=("jpeg",)),
]

QUALITY = {"avif": 55, "webp": 78, "jpeg": 82}

# A Pillow built without libavif or libwebp (not the project's wheels) makes the others.
MODERN = {fmt for fmt in ("avif", "webp") if features.check(fmt)}


def max_upload_bytes() -> int:
    return settings.NEWSROOM_MEDIA_MAX_UPLOAD_MB * 1024 * 1024


def check_size(upload: UploadedFile) -> None:
    if upload.size == 0:
        raise ValidationError("The file is empty (0 bytes).", code="empty")
    if upload.size > max_upload_bytes():
        raise ValidationError(
            f"The file is {upload.size / 1024 / 1024:.0f} MB; the limit is "
            f"{settings.NEWSROOM_MEDIA_MAX_UPLOAD_MB} MB.",
            code="too_big",
        )


NOT_AN_IMAGE = (
    "This is not a picture Newsroom can use: upload a JPEG, PNG, WebP or AVIF file. "
    "(SVG, HTML and renamed files are refused, whatever their name.)"
)


@dataclass
class CleanImage:
    content: ContentFile
    extension: str
    width: int
    height: int
    picture: PILImage.Image


def clean_image(upload: UploadedFile) -> CleanImage:
    """Decode `upload` by its content and return it cleaned: orientation applied, no
    EXIF (GPS, camera, owner), XMP or comments, colour profile kept. Raises
    ValidationError with a message for the form."""
    check_size(upload)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            picture = PILImage.open(upload)
            fmt = picture.format
            if fmt not in FORMATS:
                raise ValidationError(NOT_AN_IMAGE, code="format")
            width, height = picture.size
            if width * height > settings.NEWSROOM_MEDIA_MAX_PIXELS:
                raise ValidationError(
                    f"The picture is {width}×{height} pixels; the limit is "
                    f"{settings.NEWSROOM_MEDIA_MAX_PIXELS / 1e6:.0f} million pixels.",
                    code="pixels",
                )
            picture.load()  # decodes every byte: a truncated file fails here
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
        raise ValidationError(
            "The picture has too many pixels to open safely; the limit is "
            f"{settings.NEWSROOM_MEDIA_MAX_PIXELS / 1e6:.0f} million pixels.",
            code="pixels",
        ) from error
    except UnidentifiedImageError as error:
        raise ValidationError(NOT_AN_IMAGE, code="format") from error
    except (OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            "The picture is damaged or incomplete (it could not be read to the end).",
            code="damaged",
        ) from error
    icc = picture.info.get("icc_profile")
    picture = ImageOps.exif_transpose(picture)  # the way the camera was held, then drop EXIF
    picture = _plain_copy(picture)
    buffer = io.BytesIO()
    extension = FORMATS[fmt]
    save_as = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP", "avif": "AVIF"}[extension]
    options = {"icc_profile": icc} if icc else {}
    if save_as == "JPEG":
        options.update(quality=92, optimize=True)
    elif save_as == "WEBP":
        options.update(quality=90)
    elif save_as == "AVIF":
        options.update(quality=90, speed=settings.NEWSROOM_MEDIA_AVIF_SPEED)
    picture.save(buffer, save_as, **options)
    return CleanImage(
        ContentFile(buffer.getvalue()), extension, picture.width, picture.height, picture
    )


def _plain_copy(picture: PILImage.Image) -> PILImage.Image:
    """The pixels alone, in RGB or RGBA: no metadata travels to the saved files."""
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    converted = picture.convert(mode)
    plain = PILImage.new(mode, converted.size)
    plain.paste(converted)
    return plain


def focal_crop(
    picture: PILImage.Image, ratio: tuple[int, int], focal: tuple[int, int]
) -> PILImage.Image:
    """The largest box of `ratio` inside the picture, as centred on the focal point (in
    percent) as the edges allow."""
    width, height = picture.size
    target = ratio[0] / ratio[1]
    if width / height > target:
        box_w, box_h = round(height * target), height
    else:
        box_w, box_h = width, round(width / target)
    centre_x, centre_y = width * focal[0] / 100, height * focal[1] / 100
    left = min(max(0, round(centre_x - box_w / 2)), width - box_w)
    top = min(max(0, round(centre_y - box_h / 2)), height - box_h)
    return picture.crop((left, top, left + box_w, top + box_h))


def make_renditions(image, picture: PILImage.Image | None = None) -> list[dict]:
    """Write every rendition of `image` to storage (`renditions/<key>/<spec>-<w>.<fmt>`)
    and return their descriptions; earlier ones of the image are deleted first."""
    if picture is None:
        with image.file.open("rb") as handle:
            picture = _plain_copy(PILImage.open(handle))
    delete_renditions(image)
    fallback = "png" if picture.mode == "RGBA" else "jpeg"
    rows = []
    for spec in SPECS:
        source = (
            focal_crop(picture, spec.ratio, (image.focal_x, image.focal_y))
            if spec.ratio
            else picture
        )
        widths = [w for w in spec.widths if w < source.width] or [source.width]
        if spec.ratio is None and source.width < spec.widths[-1] and source.width not in widths:
            widths.append(source.width)  # the original's own width, never an upscale
        if spec.name == "share":
            widths = [1200]  # card readers expect exactly 1200x630 (upscaled if need be)
        for width in widths:
            height = round(source.height * width / source.width)
            if spec.ratio:
                height = round(width * spec.ratio[1] / spec.ratio[0])
            resized = source.resize((width, height), PILImage.Resampling.LANCZOS)
            for fmt in spec.formats:
                fmt = fallback if fmt == "fallback" else fmt
                if fmt in ("avif", "webp") and fmt not in MODERN:
                    continue
                frame = resized.convert("RGB") if fmt == "jpeg" else resized
                buffer = io.BytesIO()
                options = {"quality": QUALITY.get(fmt, 90), "optimize": True}
                if fmt == "avif":
                    options["speed"] = settings.NEWSROOM_MEDIA_AVIF_SPEED
                frame.save(buffer, fmt.upper(), **options)
                extension = "jpg" if fmt == "jpeg" else fmt
                name = f"renditions/{image.key.hex}/{spec.name}-{width}.{extension}"
                stored = default_storage.save(name, ContentFile(buffer.getvalue()))
                rows.append(
                    {"spec": spec.name, "format": fmt, "width": width, "height": height,
                     "name": stored, "bytes": buffer.tell()}
                )  # fmt: skip
    return rows


def delete_renditions(image) -> None:
    for row in image.renditions or []:
        default_storage.delete(row["name"])


# Documents --------------------------------------------------------------------------

OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
NOT_A_DOCUMENT = (
    "This is not a document Newsroom can offer: upload a PDF, or a Word, Excel, PowerPoint "
    "or OpenDocument file (decided by the file's content, not its name)."
)


def document_type(upload: UploadedFile) -> str:
    """The MIME type of an uploaded document, read from its bytes; ValidationError for
    anything else (a renamed program, a web page, an image)."""
    check_size(upload)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        upload.seek(max(0, upload.size - 2048))
        tail = upload.read()
        upload.seek(0)
        if b"%%EOF" not in tail:
            raise ValidationError(
                "The PDF is incomplete (it has no end); upload it again.", code="damaged"
            )
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    declared = archive.read("mimetype").decode("ascii", "replace").strip()
                    if declared in ODF:
                        return declared
                if "[Content_Types].xml" in names:
                    for prefix, mime in OOXML.items():
                        if any(name.startswith(prefix) for name in names):
                            return mime
        except (zipfile.BadZipFile, OSError, UnicodeError) as error:
            raise ValidationError(NOT_A_DOCUMENT, code="format") from error
        finally:
            upload.seek(0)
    raise ValidationError(NOT_A_DOCUMENT, code="format")


def safe_filename(name: str) -> str:
    """A download's file name: its last part, with nothing a path or header could misread."""
    stem = PurePosixPath(name.replace("\\", "/")).name
    kept = "".join(char if char.isalnum() or char in "-_." else "-" for char in stem)
    return kept.strip(".-")[:120] or "document"
