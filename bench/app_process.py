"""The production app as a process: started the way `make run` starts it, on a free port with its own SQLite
database (or the one a caller names), and stopped with everything it started.

The test suite (tests/conftest.py) and the load tools (bench/servers.py) both start apps through this module.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
E2E_SECRET_KEY = "e2e-secret-key-not-for-production"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningApp:
    """A production build of the app serving one port, with its own database."""

    def __init__(self, base_url: str, database_path: Path, log_path: Path, pid: int, web_dir: Path,
                 database_url: str = "") -> None:
        self.base_url, self.database_path, self.log_path, self.pid = base_url, database_path, log_path, pid
        self.web_dir = web_dir  # its build folder
        self.database_url = database_url or f"sqlite:///{database_path}"  # its DATABASE_URL

    def process_count(self) -> int:
        """Processes serving this app: Reflex's supervisor and its backend workers (Linux /proc)."""
        count = 0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    count += os.getpgid(int(entry.name)) == self.pid  # started as its own process group
        return count

    def url(self, path: str) -> str:
        return self.base_url + path

    def outbox(self, to: str | None = None, limit: int = 50) -> list[dict]:
        query = f"?limit={limit}" + (f"&to={to}" if to else "")
        with urllib.request.urlopen(self.url(f"/api/outbox/messages{query}"), timeout=10) as response:
            return json.load(response)["messages"]

    def wait_for_mail(self, to: str, subject_has: str, count: int = 1, timeout: float = 15) -> list[dict]:
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.outbox(to) if subject_has in m["subject"]]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.2)


def _worker_suffix() -> str:
    """`make test` runs in several pytest-xdist processes, and each starts its own apps: an app locks its build folder,
    so each process builds into folders of its own (the first one, or a run without xdist, into the usual ones)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return "" if worker in ("", "gw0") else f"-{worker}"


def tests_build_folder() -> str:
    """The build folder of the tests' own app: `.web`, as `reflex run` would use, kept between runs."""
    return str(ROOT / f".web{_worker_suffix()}")


def kept_build_folder(name: str) -> str:
    """A build folder of its own for a second app, kept between runs as `.web` is (and locked the same way while
    an app uses it): the next build reuses its npm packages, where a fresh folder installs them all again."""
    return str(ROOT / f".web-test-{name}{_worker_suffix()}")


def _wait_until_up(base_url: str, process: subprocess.Popen, log_path: Path, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{log_path.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(base_url + "/ping", timeout=2), \
                 urllib.request.urlopen(base_url + "/", timeout=5) as page:
                if page.status == 200 and b"<html" in page.read(2000).lower():
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the app did not come up in {timeout}s:\n{log_path.read_text()[-4000:]}")


@contextlib.contextmanager
def start_app(workdir: Path, **settings: str):
    """`reflex run --env prod` on a free port with a temporary SQLite database, stopped on exit.

    `settings` override the test defaults (the env names of docs/configuration.md). A `web_dir` setting builds
    the frontend into its own folder, so a second app can run beside the first with other build-time settings;
    a `host` setting serves it under another loopback name (127.0.0.2 is a shop that is not "local").
    """
    port = free_port()
    base_url = f"http://{settings.pop('host', 'localhost')}:{port}"
    env = {
        **os.environ,
        "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "DATABASE_URL": f"sqlite:///{workdir / 'e2e.db'}",
        "STOREFRONT_BASE_URL": base_url,
        "STOREFRONT_SECRET_KEYS": E2E_SECRET_KEY,
        "MAIL_BACKEND": "outbox",
        "OUTBOX_ENABLED": "1",
        # The whole e2e suite signs up from this one address, hundreds of times an hour; the limit itself is
        # tested over the API (tests/api/test_attacks.py) with the default.
        "SIGNUP_LIMIT": "1000/minute",
        "REFLEX_USE_NPM": "1",
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "REFLEX_TELEMETRY_ENABLED": "False",
        "NPM_CONFIG_REGISTRY": "https://registry.npmjs.org",
        "REFLEX_WEB_WORKDIR": tests_build_folder(),  # unless `web_dir` names another
    }
    for name in ("SMTP_URL", "REDIS_URL", "STORE_CORS", "CLAIM_TOKEN_MAX_AGE", "GRANIAN_WORKERS"):
        env.pop(name, None)
    web_dir = settings.pop("web_dir", None)
    if web_dir:
        env["REFLEX_WEB_WORKDIR"] = web_dir
    for name, value in settings.items():  # None: leave the variable unset (its default applies)
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    reflex = shutil.which("reflex", path=env["PATH"]) or str(Path(sys.executable).parent / "reflex")
    log_path = workdir / "app.log"
    with log_path.open("wb") as log:
        # Started as `make run` starts it: storefront.serve locks the build folder (a second app into the same
        # folder refuses to start), then runs `reflex run --env prod` on the port; the venv's Python runs it.
        process = subprocess.Popen(
            [str(Path(reflex).with_name("python")), "-m", "storefront.serve", "--port", str(port),
             "--loglevel", "info"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        _wait_until_up(base_url, process, log_path)
        yield RunningApp(base_url, workdir / "e2e.db", log_path, process.pid, Path(env["REFLEX_WEB_WORKDIR"]),
                         env["DATABASE_URL"])
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Stop a process started as its own process group, and everything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
