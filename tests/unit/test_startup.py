"""The start's closing lines: where the shop is, its outbox, its database (no password), and every warning."""

import logging

from storefront import config
from storefront import startup as startup_module
from storefront.config import Settings
from storefront.startup import banner
from tests.event_loops import run_in_fresh_loop


def test_a_local_demo_start_names_the_shop_its_outbox_and_database_and_warns_of_the_dev_key(monkeypatch):
    monkeypatch.delenv("STOREFRONT_SECRET_KEYS", raising=False)
    monkeypatch.setenv("STOREFRONT_BASE_URL", "http://localhost:3000")
    lines = banner(Settings()).splitlines()
    assert lines[0] == "Storefront is running at http://localhost:3000"
    assert "  Mail outbox: http://localhost:3000/outbox" in lines
    assert any(line.startswith("  Warning: STOREFRONT_SECRET_KEYS is not set") for line in lines)


def test_a_real_shop_start_hides_the_database_password_and_has_no_outbox(monkeypatch):
    monkeypatch.setenv("STOREFRONT_SECRET_KEYS", "k")
    monkeypatch.setenv("STOREFRONT_BASE_URL", "https://shop.example.com")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://shop:s3cret@db.internal/shop")
    text = banner(Settings())
    assert "s3cret" not in text and "db.internal/shop" in text
    assert "outbox" not in text.lower() and "Warning" not in text


def test_a_start_warns_of_the_development_key_once(monkeypatch, tmp_path, caplog, capsys):
    """Once for the whole start, in the closing lines: not again from each worker nor where the key is read."""
    monkeypatch.delenv("STOREFRONT_SECRET_KEYS", raising=False)
    monkeypatch.setenv("STOREFRONT_BASE_URL", "http://localhost:3000")
    monkeypatch.setattr(config, "DEV_KEY_FILE", tmp_path / ".dev-secret-key")
    monkeypatch.setattr(config._dev_secret_key, "__defaults__", (tmp_path / ".dev-secret-key",))
    monkeypatch.setattr(startup_module, "prepare_database", lambda url: None)
    monkeypatch.setattr(startup_module, "first_worker", lambda: True)
    monkeypatch.setattr(startup_module.courier, "wake", lambda: None)
    monkeypatch.setattr(startup_module.gc, "freeze", lambda: None)
    config.get_settings.cache_clear()
    try:
        for _start in ("making the key", "reusing it"):
            config.get_settings.cache_clear()
            caplog.clear()
            with caplog.at_level(logging.INFO):
                run_in_fresh_loop(startup_module.startup)  # pytest's Playwright may hold this thread's loop
            said = capsys.readouterr().out + caplog.text
            assert said.count("STOREFRONT_SECRET_KEYS is not set") == 1, said
            assert "signed with a generated development key (kept in .dev-secret-key)" in said
    finally:
        config.get_settings.cache_clear()
