import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import ValidationError

from storefront import config
from storefront.config import Settings


def test_defaults_work_without_any_environment(monkeypatch, tmp_path):
    for name in ("STOREFRONT_SECRET_KEYS", "STOREFRONT_BASE_URL", "DATABASE_URL", "MAIL_BACKEND", "PORT",
                 "REFLEX_FRONTEND_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database_url == "sqlite:///storefront.db"
    assert settings.base_url == "http://localhost:3000"
    assert settings.claim_token_max_age == 3600
    assert settings.mail_backend == "outbox"
    assert settings.outbox_enabled is True
    assert settings.smtp_url is None and settings.redis_url is None


def test_dev_key_is_generated_once_kept_and_warned_about(monkeypatch, tmp_path, caplog):
    monkeypatch.delenv("STOREFRONT_SECRET_KEYS", raising=False)
    key_file = tmp_path / "key"
    monkeypatch.setattr(config, "DEV_KEY_FILE", key_file)
    monkeypatch.setattr(config._dev_secret_key, "__defaults__", (key_file,))
    settings = Settings()
    first = settings.secret_keys
    assert settings.secret_keys == first
    assert f"a generated development key (kept in {key_file.name})" in settings.startup_warnings()[0]
    assert Settings().secret_keys == first and len(first[0]) >= 40  # a restart keeps it
    assert key_file.read_text().strip() == first[0]
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["key"]  # no drafts left behind


def test_workers_starting_together_share_one_dev_key(tmp_path):
    key_file = tmp_path / "key"
    start = threading.Barrier(8)

    def worker(_):
        start.wait()
        return config._dev_secret_key(key_file)

    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(worker, range(8)))
    assert keys == {key_file.read_text().strip()}


def test_an_emptied_dev_key_file_is_a_clear_error(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("\n")
    with pytest.raises(RuntimeError, match="delete it"):
        config._dev_secret_key(key_file)


def test_base_url_follows_the_port_the_app_serves_on(monkeypatch):
    monkeypatch.delenv("STOREFRONT_BASE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.setenv("REFLEX_FRONTEND_PORT", "8123")
    assert Settings().base_url == "http://localhost:8123"
    assert Settings().cors_origins == ["http://localhost:8123", "http://127.0.0.1:8123"]
    monkeypatch.delenv("REFLEX_FRONTEND_PORT")
    monkeypatch.setenv("PORT", "8080")
    assert Settings().base_url == "http://localhost:8080"


def test_secret_keys_are_comma_separated_first_signs(monkeypatch):
    monkeypatch.setenv("STOREFRONT_SECRET_KEYS", " new , old ,")
    assert Settings().secret_keys == ["new", "old"]


def test_cors_defaults_to_own_origin_and_adds_store_cors(monkeypatch):
    monkeypatch.setenv("STOREFRONT_BASE_URL", "https://shop.example.com/")
    monkeypatch.setenv("STORE_CORS", "https://front.example.com, http://localhost:8000")
    settings = Settings()
    assert settings.base_url == "https://shop.example.com"
    assert settings.cors_origins == [
        "https://shop.example.com", "https://front.example.com", "http://localhost:8000",
    ]


def test_localhost_origin_allows_both_spellings(monkeypatch):
    monkeypatch.setenv("STOREFRONT_BASE_URL", "http://localhost:3123")
    assert Settings().cors_origins == ["http://localhost:3123", "http://127.0.0.1:3123"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("MAIL_BACKEND", "pigeon"), ("CLAIM_TOKEN_MAX_AGE", "0"), ("STOREFRONT_BASE_URL", "shop.example.com"),
     ("OUTBOX_ENABLED", "maybe")],
)
def test_bad_values_are_refused_with_the_variable_named(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as excinfo:
        Settings()
    assert name in str(excinfo.value)


def test_outbox_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("OUTBOX_ENABLED", "0")
    assert Settings().outbox_enabled is False


@pytest.mark.parametrize("base_url", ["http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:3000"])
def test_the_outbox_is_on_by_default_only_for_a_local_shop(monkeypatch, base_url):
    monkeypatch.delenv("OUTBOX_ENABLED", raising=False)
    monkeypatch.setenv("STOREFRONT_BASE_URL", base_url)
    settings = Settings()
    assert settings.outbox_enabled and not settings.outbox_public and settings.startup_warnings() == []


@pytest.mark.parametrize("base_url", ["https://shop.example.com", "http://192.168.1.20:3000",
                                      "http://localhost.example.com"])
def test_a_public_shop_has_no_outbox_unless_forced_and_then_says_so(monkeypatch, base_url):
    monkeypatch.delenv("OUTBOX_ENABLED", raising=False)
    monkeypatch.setenv("STOREFRONT_BASE_URL", base_url)
    assert Settings().outbox_enabled is False
    monkeypatch.setenv("OUTBOX_ENABLED", "1")
    forced = Settings()
    assert forced.outbox_enabled and forced.outbox_public
    (warning,) = forced.startup_warnings()
    assert "public" in warning and "claim links" in warning
