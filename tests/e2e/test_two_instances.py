"""Two apps from one checkout: a second start with a running app's build folder refuses and changes nothing.

(Apps on different ports build into different folders: the unit tests of storefront.serve show that, and the
e2e modules that start a second app beside the session's one run it from a folder of its own.)
"""

import json
import os
import socket
import subprocess
import sys
import urllib.request

from bench.app_process import ROOT, free_port


def test_a_second_start_into_the_running_apps_build_folder_refuses_and_the_first_keeps_serving(app_server):
    env_json = app_server.web_dir / "env.json"
    own_socket = f"/localhost:{app_server.base_url.rsplit(':', 1)[1]}/_event"
    assert own_socket in json.loads(env_json.read_text())["EVENT"]
    built = env_json.stat().st_mtime_ns
    port = free_port()

    second = subprocess.run(
        [sys.executable, "-m", "storefront.serve", "--port", str(port)],
        env={**os.environ, "REFLEX_WEB_WORKDIR": str(app_server.web_dir)}, cwd=ROOT,
        capture_output=True, text=True, timeout=120,
    )

    assert second.returncode == 1, second.stdout + second.stderr
    assert "Not starting: another Storefront app" in second.stderr
    assert f"process {app_server.pid}" in second.stderr  # names the app that holds the folder
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # nothing serves the second port
    assert env_json.stat().st_mtime_ns == built
    assert own_socket in json.loads(env_json.read_text())["EVENT"]  # the pages still talk to the first app
    with urllib.request.urlopen(app_server.url("/ping"), timeout=10) as ping:
        assert ping.status == 200
