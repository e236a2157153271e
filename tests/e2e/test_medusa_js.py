"""Medusa's own clients complete the claim flow against the running app: medusa-js v1 and the docs' fetch
snippets (tests/node/claim_flow.test.js), and js-sdk 2.x's order transfer (tests/node/transfer_flow.test.js)."""

import os
import shutil
import subprocess
from pathlib import Path

NODE_DIR = Path(__file__).resolve().parent.parent / "node"
VENV_BIN = Path(__file__).resolve().parent.parent.parent / ".venv" / "bin"
PACKAGES = ["@medusajs/medusa-js", "@medusajs/js-sdk"]  # pinned exactly in tests/node/package.json


def node_env(app_server) -> dict:
    return {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "STOREFRONT_URL": app_server.base_url, "NPM_CONFIG_REGISTRY": "https://registry.npmjs.org",
            "NPM_CONFIG_UPDATE_NOTIFIER": "false"}


def run_node_tests(app_server, test_file: str, expected: int) -> None:
    """Install the lockfile's packages when one is missing, run `node --test` on one file, expect every test to pass."""
    env = node_env(app_server)
    npm, node = shutil.which("npm", path=env["PATH"]), shutil.which("node", path=env["PATH"])
    if not all((NODE_DIR / "node_modules" / package).exists() for package in PACKAGES):
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--legacy-peer-deps"], cwd=NODE_DIR, env=env,
                       check=True, capture_output=True, timeout=300)
    result = subprocess.run([node, "--test", "--test-reporter=tap", test_file], cwd=NODE_DIR, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"# pass {expected}" in result.stdout and "# fail 0" in result.stdout, result.stdout


def test_medusa_js_and_fetch_snippets(app_server):
    run_node_tests(app_server, "claim_flow.test.js", expected=4)


def test_js_sdk_v2_order_transfer(app_server):
    run_node_tests(app_server, "transfer_flow.test.js", expected=5)
