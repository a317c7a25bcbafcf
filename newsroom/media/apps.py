from django.apps import AppConfig


class MediaConfig(AppConfig):
    """The media library: images and documents with their credit, licence and alt text."""

    name = "newsroom.media"
    label = "media_library"
    verbose_name = "Media library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from newsroom.media import signals

        signals.connect()
