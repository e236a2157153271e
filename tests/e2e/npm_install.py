"""The npm packages some tests run (axe-core in tests/a11y, Medusa's clients in tests/node), installed from their
lock files the first time a test needs them."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

VENV_BIN = Path(__file__).resolve().parent.parent.parent / ".venv" / "bin"


def npm_env(**extra: str) -> dict[str, str]:
    """The environment npm and node run in: the venv's Node first, packages only from the npm registry."""
    return {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "NPM_CONFIG_REGISTRY": "https://registry.npmjs.org", "NPM_CONFIG_UPDATE_NOTIFIER": "false", **extra}


def ensure_installed(folder: Path, *packages: str, legacy_peer_deps: bool = False) -> None:
    """`npm ci` in `folder` unless each of `packages` is already in its node_modules.

    `make test` runs two pytest processes and both may get here at once: `npm ci` empties node_modules before it
    installs, so one process installs while the other waits on the lock, then finds the packages there.
    """
    with open(folder / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all((folder / "node_modules" / package).exists() for package in packages):
            return
        env = npm_env()
        npm = shutil.which("npm", path=env["PATH"])
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", *(["--legacy-peer-deps"] if legacy_peer_deps else [])],
                       cwd=folder, env=env, check=True, capture_output=True, timeout=300)
