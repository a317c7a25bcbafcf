"""Synthetic pictures for the generated archive (`generate_archive --images N`): N distinct
pictures drawn with Pillow, stored and rendered like uploads, shared by the generated
items as lead images, so benchmarks measure pages with pictures."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import ImageDraw

GENERATED_PREFIX = "gen-"  # original names of generated pictures, as slugs of generated items
SIZE = (1600, 1000)


def draw(rng: random.Random) -> bytes:
    """A photo-like JPEG: a sky-to-ground gradient and shapes, different for each seed."""
    top = tuple(rng.randrange(60, 230) for _ in range(3))
    bottom = tuple(rng.randrange(20, 160) for _ in range(3))
    picture = PILImage.new("RGB", SIZE)
    pixels = ImageDraw.Draw(picture)
    for y in range(SIZE[1]):
        share = y / SIZE[1]
        colour = tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        pixels.line([(0, y), (SIZE[0], y)], fill=colour)
    for _ in range(rng.randrange(6, 14)):
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1] // 3, SIZE[1])
        w, h = rng.randrange(40, 400), rng.randrange(40, 300)
        fill = tuple(rng.randrange(256) for _ in range(3))
        (pixels.ellipse if rng.random() < 0.5 else pixels.rectangle)([x, y, x + w, y + h], fill)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def attach_images(*, count: int, seed: int, progress=None) -> int:
    """Make `count` pictures and give every generated release and speech one of them as
    its lead image (the same picture reused across items). Returns how many items got one."""
    from articles.models import Release, Speech
    from newsroom.media.forms import ImageForm
    from newsroom.media.models import Image

    old = Image.objects.filter(original_name__startswith=GENERATED_PREFIX)
    for model in (Release, Speech):
        model.objects.filter(lead_image__in=old).update(lead_image=None)
    for image in old:
        image.delete()
    rng = random.Random(seed)
    images = []
    for n in range(count):
        data = {"alt_text": f"Synthetic picture {n + 1}", "credit": "Newsroom test archive",
                "caption": f"Generated picture {n + 1}.", "licence": "public-domain",
                "focal_x": rng.randrange(30, 70), "focal_y": rng.randrange(30, 70)}  # fmt: skip
        upload = SimpleUploadedFile(f"{GENERATED_PREFIX}{n + 1:04d}.jpg", draw(rng))
        form = ImageForm(data=data, files={"file": upload})
        if not form.is_valid():  # a drawing of ours: only a bug would get here
            raise ValueError(form.errors.as_text())
        images.append(form.save().pk)
        if progress:
            progress(n + 1)
    attached = 0
    for model in (Release, Speech):
        ids = list(
            model.objects.filter(slug__startswith=GENERATED_PREFIX).values_list("pk", flat=True)
        )
        buckets: dict[int, list[int]] = {}
        for pk in ids:
            buckets.setdefault(images[pk % len(images)], []).append(pk)
        for image_pk, pks in buckets.items():
            for start in range(0, len(pks), 500):
                model.objects.filter(pk__in=pks[start : start + 500]).update(lead_image=image_pk)
        attached += len(ids)
    return attached
