"""Production settings are refused when unsafe (checked in a fresh interpreter)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRINT_DEBUG = (
    "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
)
STRONG_KEY = "k" * 20 + "-a-long-random-production-secret-key-0123456789"


def load_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    return subprocess.run(
        [sys.executable, "-c", PRINT_DEBUG],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_development_defaults_need_nothing():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "Set SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": "short"}, "too weak"),
        ({"DEBUG": "0", "SECRET_KEY": STRONG_KEY}, "Set ALLOWED_HOSTS"),
        ({"DEBUG": "maybe"}, "DEBUG must be 0 or 1"),
    ],
)
def test_unsafe_production_values_are_refused(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_values_are_accepted_and_deploy_check_is_clean():
    env = {"DEBUG": "0", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "news.example.org"}
    assert load_settings(**env).stdout.strip() == "False"
    environment = {**os.environ, **env}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
