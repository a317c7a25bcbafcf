"""django-taggit's app, named for people in the admin: "Topic vocabulary", not "Taggit".

In its own module: beside `ArticlesConfig` in `apps.py`, a second AppConfig would stop
Django choosing that one for "articles" by itself.
"""

from taggit.apps import TaggitAppConfig


class VocabularyConfig(TaggitAppConfig):
    verbose_name = "Topic vocabulary"
