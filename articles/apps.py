from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom content"

    def ready(self) -> None:
        from articles import signals

        signals.connect()
        signals.connect_revisions()
        signals.connect_fixture_guards()
