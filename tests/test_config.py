"""Settings read from the environment."""

import pytest

from portal.config import from_environment


@pytest.mark.parametrize(("environment", "base_url"), [
    ({}, "http://127.0.0.1:5000"),
    ({"PORTAL_BASE_URL": "http://127.0.0.1:8080"}, "http://127.0.0.1:8080"),
    ({"PORTAL_ENV": "production"}, None),  # no guess: the start fails and says what to set
    ({"PORTAL_ENV": "production", "PORTAL_BASE_URL": "https://portal.example.org"},
     "https://portal.example.org"),
])
def test_the_portal_address(tmp_path, monkeypatch, environment, base_url):
    for name in ("PORTAL_ENV", "PORTAL_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    config = from_environment(str(tmp_path))
    assert config["PORTAL_BASE_URL"] == base_url
    assert config["PORTAL_ENV"] == environment.get("PORTAL_ENV", "development")


def test_demo_credentials_are_kept_in_the_instance_folder(tmp_path):
    assert from_environment(str(tmp_path))["DEMO_CREDENTIALS_FILE"] == str(
        tmp_path / "demo-credentials.txt")
