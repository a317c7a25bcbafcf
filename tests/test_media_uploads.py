"""The media library's admin: good pictures are cleaned and rendered once, bad files get a
clear form error and nothing is saved, used items cannot be deleted from under a page."""

import io
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from newsroom.media.models import Document, Image
from tests.factories import make_image, make_release, make_speech, picture_bytes

pytestmark = pytest.mark.django_db

ADD = "admin:media_library_image_add"
FIELDS = {"alt_text": "Flags at the headquarters", "credit": "NATO / Jane Doe",
          "licence": "cc-by-4.0", "focal_x": 50, "focal_y": 50}  # fmt: skip


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def upload(client, name: str, content: bytes, **fields):
    data = {**FIELDS, **fields, "file": SimpleUploadedFile(name, content)}
    return client.post(reverse(ADD), data)


def photo_with_gps_and_rotation() -> bytes:
    """A 1200x800 JPEG whose EXIF says: rotate 90° to show it, taken at these coordinates."""
    picture = PILImage.new("RGB", (1200, 800), (200, 30, 30))
    exif = PILImage.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "Camera maker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (50.0, 52.0, 30.0)  # GPSLatitudeRef, GPSLatitude
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_a_photo_is_stored_cleaned_upright_and_rendered_once(staff_client):
    before = set(stored_files())
    response = upload(staff_client, "summit.jpg", photo_with_gps_and_rotation())
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    image = Image.objects.get()
    assert (image.width, image.height) == (800, 1200), "the camera's orientation is applied"
    assert image.original_name == "summit.jpg" and "summit" not in image.file.name
    with image.file.open("rb") as handle:
        stored = PILImage.open(handle)
        assert not stored.getexif(), "no EXIF (GPS, camera) is kept"
        assert "exif" not in stored.info
    formats = {(row["spec"], row["format"]) for row in image.renditions}
    assert {("content", "avif"), ("content", "webp"), ("content", "jpeg")} <= formats
    assert {("thumb", "avif"), ("thumb", "webp"), ("thumb", "jpeg"), ("share", "jpeg")} <= formats
    for row in image.renditions:  # stored, and what the row says they are
        with PILImage.open(Path(settings.MEDIA_ROOT) / row["name"]) as made:
            assert made.size == (row["width"], row["height"]), row
            assert made.format == {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}[row["format"]]
    widths = {row["width"] for row in image.renditions if row["spec"] == "content"}
    assert widths == {480, 800}, "the layout's widths below the original's, and its own"
    share = image.share_image
    assert (share["width"], share["height"]) == (1200, 630)
    assert len(set(stored_files()) - before) == 1 + len(image.renditions)
    # Made once: reading the pages or saving the text again does not make them again.
    names = [row["name"] for row in image.renditions]
    image.caption = "Edited caption"
    image.save()
    image.refresh_from_db()
    assert [row["name"] for row in image.renditions] == names


def test_renditions_never_upscale_and_keep_the_focal_point(staff_client):
    image = make_image(size=(600, 400), focal_x=100, focal_y=50)
    widths = sorted({row["width"] for row in image.renditions if row["spec"] == "content"})
    assert widths == [480, 600]
    thumb = image.rendition("thumb", "jpeg")
    assert (thumb["width"], thumb["height"]) == (320, 213)


def test_a_png_with_transparency_keeps_a_png_fallback():
    buffer = io.BytesIO()
    PILImage.new("RGBA", (800, 600), (0, 0, 0, 0)).save(buffer, "PNG")
    from newsroom.media.forms import ImageForm

    form = ImageForm(data=FIELDS, files={"file": SimpleUploadedFile("logo.png", buffer.getvalue())})
    assert form.is_valid(), form.errors
    image = form.save()
    assert image.rendition("content")["format"] == "png"


def svg_with_script() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def bomb() -> bytes:
    """A tiny PNG that claims 20,000 x 20,000 pixels (400 million): opened, it would take
    gigabytes of memory."""
    buffer = io.BytesIO()
    PILImage.new("1", (20_000, 20_000)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, "not a picture Newsroom can use"),
        ("photo.jpg", picture_bytes((800, 600))[:3000], "damaged or incomplete"),
        ("photo.jpg", b"", "empty"),
        ("bomb.png", bomb(), "the limit is 60 million pixels"),
        ("photo.jpg", svg_with_script(), "not a picture Newsroom can use"),
        ("page.png", b"<html><script>alert(1)</script></html>", "not a picture Newsroom can use"),
    ],
    ids=["renamed-exe", "truncated-jpeg", "zero-bytes", "decompression-bomb", "svg", "html"],
)
def test_a_bad_file_is_a_form_error_and_nothing_is_saved(staff_client, name, content, message):
    before = set(stored_files())
    response = upload(staff_client, name, content)
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not Image.objects.exists()
    assert set(stored_files()) == before


def test_an_upload_over_the_configured_limit_is_refused(staff_client, settings):
    settings.NEWSROOM_MEDIA_MAX_UPLOAD_MB = 1  # the same check refuses 200 MB at 40 MB
    big = picture_bytes((2000, 2000), quality=100) + b"\x00" * (1024 * 1024)
    response = upload(staff_client, "big.jpg", big)
    assert response.status_code == HTTPStatus.OK
    assert "the limit is 1 MB" in response.content.decode()
    assert not Image.objects.exists()


def test_alt_text_is_required_unless_decorative_and_credit_always(staff_client):
    response = upload(staff_client, "a.jpg", picture_bytes((400, 300)), alt_text="", credit="")
    body = response.content.decode()
    assert "Describe the picture for people who cannot see it" in body
    assert "This field is required" in body
    assert not Image.objects.exists()
    response = upload(
        staff_client, "a.jpg", picture_bytes((400, 300)), alt_text="", decorative="on"
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Image.objects.get().decorative


def test_several_pictures_at_once_then_alt_text_for_each(staff_client):
    url = reverse("admin:media_library_image_upload")
    assert (
        "Upload several pictures"
        in staff_client.get(reverse("admin:media_library_image_changelist")).content.decode()
    )
    files = [SimpleUploadedFile(f"p{n}.jpg", picture_bytes((500, 400))) for n in range(3)]
    data = {"files": files, "credit": "NATO", "licence": "public-domain", "source": "Archive"}
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith("?alt=missing")
    assert Image.objects.count() == 3 and not Image.objects.usable().exists()
    listed = staff_client.get(response["Location"]).content.decode()
    assert "3 pictures uploaded" in listed
    # Without alt text an image cannot be chosen as a lead image.
    release = make_release()
    release.lead_image = Image.objects.first()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="lead_image"):
        release.full_clean()


def test_one_bad_file_among_several_saves_none(staff_client):
    before = set(stored_files())
    files = [SimpleUploadedFile("good.jpg", picture_bytes((500, 400))),
             SimpleUploadedFile("bad.jpg", b"not a picture")]  # fmt: skip
    response = staff_client.post(
        reverse("admin:media_library_image_upload"),
        {"files": files, "credit": "NATO", "licence": "cc-by-4.0"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "bad.jpg: This is not a picture" in response.content.decode()
    assert not Image.objects.exists() and set(stored_files()) == before


def test_the_library_lists_where_each_image_is_used_and_filters(staff_client):
    used = make_image(alt_text="Used picture", licence="cc-by-4.0")
    make_image(alt_text="Unused picture", licence="public-domain", credit="Archive")
    for _ in range(3):
        make_release(lead_image=used)
    make_speech(lead_image=used)
    changelist = reverse("admin:media_library_image_changelist")
    body = staff_client.get(changelist).content.decode()
    assert "used by 3 releases, 1 speech" in body and "not used" in body
    filtered = staff_client.get(changelist, {"licence": "public-domain"}).content.decode()
    assert "Unused picture" in filtered and "Used picture" not in filtered
    found = staff_client.get(changelist, {"q": "Archive"}).content.decode()
    assert "Unused picture" in found and "Used picture" not in found
    change = staff_client.get(reverse("admin:media_library_image_change", args=[used.pk]))
    assert change.content.decode().count("/admin/articles/release/") >= 3


def test_deleting_a_used_image_is_refused_and_an_unused_one_takes_its_files(staff_client):
    used = make_image()
    release = make_release(lead_image=used)
    delete = reverse("admin:media_library_image_delete", args=[used.pk])
    page = staff_client.get(delete).content.decode()
    assert "would require deleting the following protected related objects" in page
    assert release.title in page
    staff_client.post(delete, {"post": "yes"})
    assert Image.objects.filter(pk=used.pk).exists()
    unused = make_image()
    names = unused.file_names()
    with_files = set(stored_files())
    assert all(Path(settings.MEDIA_ROOT, name) in with_files for name in names)
    response = staff_client.post(
        reverse("admin:media_library_image_delete", args=[unused.pk]), {"post": "yes"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not Image.objects.filter(pk=unused.pk).exists()


def test_a_figure_image_cannot_be_deleted_either(staff_client):
    image = make_image()
    make_speech(body=f'<figure><img src="{image.url}" alt="x"><figcaption>C</figcaption></figure>')
    page = staff_client.get(reverse("admin:media_library_image_delete", args=[image.pk]))
    assert "protected related objects" in page.content.decode()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_documents_are_checked_by_content(staff_client):
    add = reverse("admin:media_library_document_add")
    good = {"title": "Annual Report 2023", "kind": "report", "language": "en",
            "file": SimpleUploadedFile("report.pdf", pdf_bytes())}  # fmt: skip
    assert staff_client.post(add, good).status_code == HTTPStatus.FOUND
    document = Document.objects.get()
    assert document.mime_type == "application/pdf" and document.type_label == "PDF"
    assert document.file_size == len(pdf_bytes())
    for name, content in [("report.pdf", b"MZ\x90\x00program"), ("report.pdf", b"%PDF-1.4 cut"),
                          ("report.pdf", b"")]:  # fmt: skip
        data = {**good, "title": "Bad", "file": SimpleUploadedFile(name, content)}
        response = staff_client.post(add, data)
        assert response.status_code == HTTPStatus.OK
        assert "errornote" in response.content.decode()
    both = {**good, "title": "Both", "url": "https://www.nato.int/x.pdf",
            "file": SimpleUploadedFile("r.pdf", pdf_bytes())}  # fmt: skip
    assert "one of the two" in staff_client.post(add, both).content.decode()
    link = {"title": "Chapter 1", "kind": "chapter", "language": "en",
            "url": "https://www.nato.int/chapter1.pdf"}  # fmt: skip
    assert staff_client.post(add, link).status_code == HTTPStatus.FOUND
    assert Document.objects.get(title="Chapter 1").type_label == "Link"
    assert Document.objects.count() == 2


def test_the_editors_picker_offers_images_ready_to_use(staff_client):
    ready = make_image(alt_text="Ready picture", caption="A caption")
    Image.objects.create(credit="x", file="images/" + "2" * 32 + ".jpg")  # no alt text yet
    url = reverse("admin:media_library_image_picker")
    body = staff_client.get(url, {"CKEditorFuncNum": "3"}).content.decode()
    assert f'data-url="{ready.url}"' in body and 'data-caption="A caption"' in body
    assert body.count('class="media-picker__choose"') == 1
    assert 'data-callback="3"' in body and "media-picker.js" in body
    assert "Ready picture" not in staff_client.get(url, {"q": "nothing"}).content.decode()
    from articles.models import EDITOR_EXTENSIONS

    assert EDITOR_EXTENSIONS["Figure"]["pickerUrl"] == url


def test_a_new_picture_for_an_image_keeps_its_addresses(staff_client):
    image = make_image(size=(800, 500))
    release = make_release(lead_image=image)
    old_url, old_share = image.url, image.share_image["url"]
    change = reverse("admin:media_library_image_change", args=[image.pk])
    data = {**FIELDS, "file": SimpleUploadedFile("new.jpg", picture_bytes((900, 600)))}
    assert staff_client.post(change, data).status_code == HTTPStatus.FOUND
    image.refresh_from_db()
    assert (image.width, image.url, image.share_image["url"]) == (900, old_url, old_share)
    assert len(stored_files()) >= len(image.file_names())
    client = staff_client.__class__()
    assert release.lead_image_id == image.pk
    assert client.get(old_url).status_code == HTTPStatus.OK


def test_a_camera_mpo_jpeg_and_a_webp_are_accepted(staff_client):
    first, depth = PILImage.new("RGB", (600, 400), (10, 80, 160)), PILImage.new("L", (600, 400))
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[depth.convert("RGB")])
    assert upload(staff_client, "phone.jpg", buffer.getvalue()).status_code == HTTPStatus.FOUND
    webp = picture_bytes((500, 300), fmt="WEBP")
    response = upload(staff_client, "x.webp", webp, alt_text="Second picture")
    assert response.status_code == HTTPStatus.FOUND
    stored = sorted(Path(image.file.name).suffix for image in Image.objects.all())
    assert stored == [".jpg", ".webp"]
