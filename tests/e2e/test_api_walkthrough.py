"""docs/api-walkthrough.sh, the curl walkthrough of docs/api.md, runs as written against the live app."""

import os
import re
import sqlite3
import subprocess

from bench.app_process import ROOT, free_port

SCRIPT = ROOT / "docs" / "api-walkthrough.sh"


def walk(base_url: str, cwd, tmp) -> subprocess.CompletedProcess:
    tmp.mkdir(exist_ok=True)
    return subprocess.run(["bash", str(SCRIPT)], env={**os.environ, "S": base_url, "TMPDIR": str(tmp)}, cwd=cwd,
                          capture_output=True, text=True, timeout=180)


def test_the_walkthrough_claims_its_guest_order_for_its_customer(app_server, tmp_path):
    (tmp_path / "cwd").mkdir()
    result = walk(app_server.base_url, tmp_path / "cwd", tmp_path / "tmp")

    assert result.returncode == 0, result.stdout + result.stderr
    order_id = re.search(r"^claimed: (order_[0-9A-Z]{26})$", result.stdout, re.MULTILINE).group(1)
    customer = re.search(r"^customer: (\S+@example\.com)$", result.stdout, re.MULTILINE).group(1)
    with sqlite3.connect(app_server.database_path) as db:  # the app's own record, not the script's word
        row = db.execute('SELECT o.email, c.email FROM "order" o JOIN customer c ON c.id = o.customer_id '
                         "WHERE o.id = ?", (order_id,)).fetchone()
    assert row is not None, f"{order_id} is in no account"
    order_email, account_email = row
    assert account_email == customer
    assert order_email != customer and order_email.startswith("guest-")  # placed as a guest, kept as placed
    assert list((tmp_path / "cwd").iterdir()) == []  # no cookie jar left where it ran
    assert list((tmp_path / "tmp").iterdir()) == []  # nor its temporary folder


def test_the_walkthrough_stops_loudly_when_there_is_no_shop(tmp_path):
    (tmp_path / "cwd").mkdir()
    result = walk(f"http://127.0.0.1:{free_port()}", tmp_path / "cwd", tmp_path / "tmp")

    assert result.returncode != 0
    assert "FAILED: GET" in result.stderr and "no answer" in result.stderr
    assert "claimed:" not in result.stdout
    assert list((tmp_path / "tmp").iterdir()) == []
