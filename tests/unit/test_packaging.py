"""The checkout stays clean: `make install` builds without setuptools' warning, and git ignores what the app
writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_editable_install_builds_without_a_warning(tmp_path):
    # Into a throwaway prefix, so the venv running the tests is left as it is.
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--prefix", str(tmp_path), "-e", "."],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    output = done.stdout + done.stderr
    assert "Successfully installed storefront" in output
    assert "BuildBackendWarning" not in output, output[-2000:]


def test_git_ignores_every_file_the_app_writes_into_the_checkout():
    written = ["storefront.db", "storefront.db-journal", "storefront.db-wal", "storefront.db-shm", ".dev-secret-key",
               ".web-3000", ".web-3000.lock", ".web-dev", ".env"]
    done = subprocess.run(["git", "check-ignore", "--no-index", *written], cwd=ROOT, capture_output=True, text=True)
    if done.returncode == 128:
        pytest.skip("not a git checkout")
    assert done.stdout.split() == written
