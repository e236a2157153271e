"""Medusa's own clients complete the claim flow against the running app: medusa-js v1 and the docs' fetch
snippets (tests/node/claim_flow.test.js), and js-sdk 2.x's order transfer (tests/node/transfer_flow.test.js)."""

import shutil
import subprocess
from pathlib import Path

from tests.e2e.npm_install import ensure_installed, npm_env

NODE_DIR = Path(__file__).resolve().parent.parent / "node"
PACKAGES = ["@medusajs/medusa-js", "@medusajs/js-sdk"]  # pinned exactly in tests/node/package.json


def node_env(app_server) -> dict:
    return npm_env(STOREFRONT_URL=app_server.base_url)


def run_node_tests(app_server, test_file: str, expected: int) -> None:
    """Install the lockfile's packages when one is missing, run `node --test` on one file, expect every test to pass."""
    ensure_installed(NODE_DIR, *PACKAGES, legacy_peer_deps=True)
    env = node_env(app_server)
    node = shutil.which("node", path=env["PATH"])
    result = subprocess.run([node, "--test", "--test-reporter=tap", test_file], cwd=NODE_DIR, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"# pass {expected}" in result.stdout and "# fail 0" in result.stdout, result.stdout


def test_medusa_js_and_fetch_snippets(app_server):
    run_node_tests(app_server, "claim_flow.test.js", expected=4)


def test_js_sdk_v2_order_transfer(app_server):
    run_node_tests(app_server, "transfer_flow.test.js", expected=5)
