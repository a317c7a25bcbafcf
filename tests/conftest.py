import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from articles.cache import _VersionMemo, fragments


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache and reads the content version afresh, so
    cached public data never crosses tests. In one process every change forgets the
    version it read, so tests keep it as long as they like (query budgets stay exact);
    tests of the check interval set it themselves."""
    # Not the `settings` fixture: a test's own `settings` changes (a broken cache) must be
    # undone before the cache is cleared below.
    with override_settings(NEWSROOM_VERSION_CHECK_SECONDS=3600):
        cache.clear()
        fragments.clear()
        _VersionMemo.forget()
        yield
        cache.clear()
        fragments.clear()
        _VersionMemo.forget()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the newsroom's first language. A request's LocaleMiddleware
    leaves its language active in the thread; code a test calls after a French page
    (a search, say) would otherwise run in French."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    """Uploaded files of every test go to a temporary directory, never the checkout's;
    AVIF renditions are encoded at the fastest effort (the same formats and sizes)."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media, NEWSROOM_MEDIA_AVIF_SPEED=10):
        yield


@pytest.fixture
def uncached_pages(settings):
    """Each request renders its page: the page cache would hide queries and changes.
    For a whole module: `pytestmark = pytest.mark.usefixtures("uncached_pages")`."""
    settings.NEWSROOM_PAGE_CACHE = False


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "chief", "chief@example.org", "pw-long-enough-1"
    )
    client.force_login(user)
    return client


def ensure_roles() -> None:
    """The role groups come from a data migration; a transactional test's teardown
    empties every table, so tests that run after one make them again the same way."""
    import importlib

    from django.apps import apps

    importlib.import_module("articles.migrations.0003_roles").create_groups(apps, None)
    importlib.import_module(
        "articles.migrations.0008_listed_and_content_version"
    ).grant_editor_permissions(apps, None)
    importlib.import_module("articles.migrations.0012_editorial_day").vocabulary_roles(apps, None)
    importlib.import_module("newsroom.distribution.migrations.0002_roles").grant(apps, None)
    importlib.import_module("newsroom.media.migrations.0002_roles").grant(apps, None)
    importlib.import_module("articles.migrations.0017_directory_version_roles").grant(apps, None)


def _member_of(django_user_model, username: str, group_name: str):
    from django.contrib.auth.models import Group

    ensure_roles()
    user = django_user_model.objects.create_user(
        username, password="pw-long-enough-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(django_user_model):
    return _member_of(django_user_model, "edith", "Editor")


@pytest.fixture
def press_officer(django_user_model):
    return _member_of(django_user_model, "oscar", "Press officer")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def officer_client(client, press_officer):
    client.force_login(press_officer)
    return client
