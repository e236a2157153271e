"""rxconfig.py turns the Settings into Reflex's config: no telemetry, our DB, Redis when asked, tight CORS."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PROBE = """
import json, os, rxconfig
c = rxconfig.config
print(json.dumps({"db_url": c.db_url, "redis_url": c.redis_url, "telemetry": c.telemetry_enabled,
                  "cors": list(c.cors_allowed_origins), "registry": os.environ.get("NPM_CONFIG_REGISTRY"),
                  "check_latest": os.environ.get("REFLEX_CHECK_LATEST_VERSION")}))
"""


def load_config(tmp_path, **env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "STORE_CORS",
                                                               "NPM_CONFIG_REGISTRY", "REFLEX_CHECK_LATEST_VERSION",
                                                               "STOREFRONT_BASE_URL"}}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env={**clean, **env}, capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_keep_the_build_off_the_network(tmp_path):
    config = load_config(tmp_path, STOREFRONT_SECRET_KEYS="k")
    assert config["telemetry"] is False and config["redis_url"] is None
    assert config["registry"] == "https://registry.npmjs.org" and config["check_latest"] == "0"
    assert config["db_url"] == "sqlite:///storefront.db"
    assert config["cors"] == ["http://localhost:3000", "http://127.0.0.1:3000"]


def test_redis_database_and_cors_come_from_the_environment(tmp_path):
    config = load_config(tmp_path, STOREFRONT_SECRET_KEYS="k", REDIS_URL="redis://127.0.0.1:6379/0",
                         DATABASE_URL="postgresql+psycopg://shop@db/shop", STORE_CORS="https://front.example.com",
                         STOREFRONT_BASE_URL="https://shop.example.com")
    assert config["redis_url"] == "redis://127.0.0.1:6379/0"
    assert config["db_url"] == "postgresql+psycopg://shop@db/shop"
    assert config["cors"] == ["https://shop.example.com", "https://front.example.com"]
