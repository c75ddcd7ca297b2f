from __future__ import annotations

import pytest

from api.settings import Settings, SettingsError, load_settings


def test_defaults_without_environment() -> None:
    settings = load_settings(environ={})
    assert settings == Settings()
    assert settings.database_url == "sqlite:///statements.db"
    assert settings.reads_require_key is False


def test_environment_is_typed_and_overrides_win() -> None:
    environ = {
        "STATEMENTS_DATABASE_URL": "postgresql://root@127.0.0.1/test",
        "STATEMENTS_PORT": "9000",
        "STATEMENTS_CORS_ORIGINS": "https://desk.example, https://app.example",
        "STATEMENTS_READS_REQUIRE_KEY": "true",
        "STATEMENTS_RATE_LIMIT_PER_MINUTE": "0",
    }
    settings = load_settings({"port": 8123, "workers": None}, environ=environ)
    assert settings.database_url == "postgresql://root@127.0.0.1/test"
    assert settings.port == 8123  # a CLI flag beats the environment
    assert settings.workers == 1  # None means "not given"
    assert settings.cors_origins == ("https://desk.example", "https://app.example")
    assert settings.reads_require_key is True
    assert settings.rate_limit_per_minute == 0


def test_a_bad_value_names_the_setting() -> None:
    with pytest.raises(SettingsError, match="port"):
        load_settings(environ={"STATEMENTS_PORT": "eighty"})
