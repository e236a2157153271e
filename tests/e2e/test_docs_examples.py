"""The example test in docs/examples passes against the live app, run as its docstring says to run it."""

import os
import subprocess
import sys
from pathlib import Path

from bench.app_process import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "test_guest_checkout.py"


def test_the_guest_checkout_example_passes(app_server, tmp_path):
    env = {**os.environ, "STOREFRONT_URL": app_server.base_url}
    if Path("/usr/bin/chromium").exists():  # Debian's, as the suite's own browser fixture uses
        env["CHROMIUM_PATH"] = "/usr/bin/chromium"
    # In its own process and folder, as someone else's suite would run it (not under this suite's conftest).
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(EXAMPLE)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
