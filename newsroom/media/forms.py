"""The library's upload forms: a bad file is a form error and nothing is saved."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from newsroom.media import processing
from newsroom.media.models import Document, Image


def formfield(field: models.Field, **kwargs) -> forms.Field | None:
    """Addresses typed without a scheme are read as https://."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        formfield_callback = formfield
        fields = [
            "file", "alt_text", "decorative", "caption", "credit", "licence", "licence_page",
            "source", "taken_on", "focal_x", "focal_y",
        ]  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self._clean = processing.clean_image(upload)
        return upload

    def clean(self):
        data = super().clean()
        decorative = data.get("decorative")
        if not decorative and not (data.get("alt_text") or "").strip():
            if self.instance.pk and not self.instance.has_alt:
                pass  # uploaded several at once: alt text is asked before it is used
            else:
                self.add_error(
                    "alt_text",
                    "Describe the picture for people who cannot see it, or mark it decorative.",
                )
        return data

    def save(self, commit: bool = True) -> Image:
        image = super().save(commit=False)
        cleaned = getattr(self, "_clean", None)
        focal_changed = {"focal_x", "focal_y"} & set(self.changed_data)
        if cleaned is not None:
            replaced = self.initial.get("file")
            if replaced:  # a new picture for the same image: same key, same addresses
                image.file.storage.delete(getattr(replaced, "name", replaced))
            image.original_name = self.cleaned_data["file"].name[:255]
            image.file.save(f"upload.{cleaned.extension}", cleaned.content, save=False)
            image.width, image.height = cleaned.width, cleaned.height
            image.file_size = cleaned.content.size
        if cleaned is not None or (focal_changed and image.pk):
            image.renditions = processing.make_renditions(
                image, cleaned.picture if cleaned else None
            )
        if commit:
            image.save()
        return image


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        formfield_callback = formfield
        fields = ["title", "kind", "language", "file", "url"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self._mime = processing.document_type(upload)
        return upload

    def clean(self):
        data = super().clean()
        has_file, has_url = bool(data.get("file")), bool(data.get("url"))
        if has_file == has_url and not self.errors:
            raise ValidationError(
                "Give the document as a file or as an external address (one of the two)."
            )
        return data

    def save(self, commit: bool = True) -> Document:
        document = super().save(commit=False)
        mime = getattr(self, "_mime", None)
        if mime:
            upload = self.cleaned_data["file"]
            document.file.save(processing.safe_filename(upload.name), upload, save=False)
            document.mime_type, document.file_size = mime, upload.size
        if not document.file:
            document.mime_type, document.file_size = "", 0
        if commit:
            document.save()
        return document


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            raise ValidationError("Choose one or more pictures.", code="required")
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class UploadSeveralForm(forms.Form):
    """Several pictures at once, with what they share; alt text is asked for each next."""

    files = MultipleImageField(
        label="Pictures", help_text="JPEG, PNG, WebP or AVIF; select several at once."
    )
    credit = forms.CharField(max_length=200, help_text="Shared by every picture uploaded now.")
    licence = forms.ChoiceField(choices=Image._meta.get_field("licence").choices)
    source = forms.CharField(max_length=300, required=False)
    taken_on = forms.DateField(label="Date taken", required=False)

    def clean_files(self):
        files = self.cleaned_data["files"]
        self.cleaned_images = []
        errors = []
        for upload in files:
            try:
                self.cleaned_images.append((upload, processing.clean_image(upload)))
            except ValidationError as error:
                errors.append(f"{upload.name}: {' '.join(error.messages)}")
        if errors:  # nothing is saved unless every file is good
            raise ValidationError(errors)
        return files

    def save(self) -> list[Image]:
        saved = []
        for upload, cleaned in self.cleaned_images:
            image = Image(
                credit=self.cleaned_data["credit"],
                licence=self.cleaned_data["licence"],
                source=self.cleaned_data["source"],
                taken_on=self.cleaned_data["taken_on"],
                original_name=upload.name[:255],
                width=cleaned.width,
                height=cleaned.height,
                file_size=cleaned.content.size,
            )
            image.file.save(f"upload.{cleaned.extension}", cleaned.content, save=False)
            image.renditions = processing.make_renditions(image, cleaned.picture)
            image.save()
            saved.append(image)
        return saved
