"""Medusa's own client and the docs' fetch snippets complete the claim flow against the running app."""

import os
import shutil
import subprocess
from pathlib import Path

NODE_DIR = Path(__file__).resolve().parent.parent / "node"
VENV_BIN = Path(__file__).resolve().parent.parent.parent / ".venv" / "bin"


def node_env(app_server) -> dict:
    return {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "STOREFRONT_URL": app_server.base_url, "NPM_CONFIG_REGISTRY": "https://registry.npmjs.org",
            "NPM_CONFIG_UPDATE_NOTIFIER": "false"}


def test_medusa_js_and_fetch_snippets(app_server):
    env = node_env(app_server)
    npm, node = shutil.which("npm", path=env["PATH"]), shutil.which("node", path=env["PATH"])
    if not (NODE_DIR / "node_modules" / "@medusajs" / "medusa-js").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--legacy-peer-deps"], cwd=NODE_DIR, env=env,
                       check=True, capture_output=True, timeout=300)
    result = subprocess.run([node, "--test", "--test-reporter=tap", "claim_flow.test.js"], cwd=NODE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 3" in result.stdout and "# fail 0" in result.stdout, result.stdout
