import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so cached public data never crosses tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "chief", "chief@example.org", "pw-long-enough-1"
    )
    client.force_login(user)
    return client
