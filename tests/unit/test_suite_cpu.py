"""bench/suite_cpu.py: each process is counted with its kind, and what the command used is counted once."""

from __future__ import annotations

import sys

import pytest

from bench import suite_cpu


@pytest.mark.parametrize(("command_line", "kind"), [
    ("/usr/lib/chromium/chromium --type=renderer --headless", "Chromium"),
    ("/root/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome --type=gpu-process", "Chromium"),
    (".venv/lib/python3.11/site-packages/playwright/driver/node .../playwright/driver/package/cli.js run-driver",
     "Playwright driver"),
    ("/work/main/.web/node_modules/.bin/react-router build", "npm and Vite builds (node)"),
    (".venv/bin/python -m storefront.serve --port 40123 --loglevel info", "app servers (Reflex, granian, migrate)"),
    (".venv/bin/python .venv/bin/reflex run --env prod --single-port", "app servers (Reflex, granian, migrate)"),
    ("/usr/lib/postgresql/15/bin/postgres -D /tmp/pg -p 5433", "PostgreSQL"),
    ("redis-server 127.0.0.1:6380", "Redis"),
    (".venv/bin/python -m bench.ws_load --url http://localhost:3000", "bench tools"),
    (".venv/bin/python -u -c import sys;exec(eval(sys.stdin.readline()))", "test processes (pytest, xdist workers)"),
    ("/usr/bin/git status", "other"),
])
def test_a_process_is_counted_with_its_kind(command_line, kind):
    assert suite_cpu.kind_of(command_line) == kind


def test_a_commands_cpu_is_sampled_with_its_kind():
    burn = "import time\nend = time.process_time() + 2.5\nwhile time.process_time() < end: pass"
    code, wall, by_kind = suite_cpu.run([sys.executable, "-c", burn], every=0.2)
    assert code == 0 and wall >= 2.5
    assert 2.0 <= by_kind["other"] <= 2.6  # all the burn but its last 0.2 s at most, and nothing else's
