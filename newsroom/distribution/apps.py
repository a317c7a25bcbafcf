from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "newsroom.distribution"
    label = "distribution"
    verbose_name = "Distribution: alerts, contacts and advance copies"

    def ready(self) -> None:
        from newsroom.distribution import signals

        signals.connect()
