"""The launcher behind `make run`: one build folder per port, and a folder in use is never built into twice."""

import os
import socket
import subprocess
import sys

import pytest

from bench.app_process import free_port
from storefront import serve


def test_each_port_builds_into_a_folder_of_its_own():
    first, second = serve.build_folder(3000, env={}), serve.build_folder(3001, env={})
    assert first != second
    assert (first.name, second.name) == (".web-3000", ".web-3001")
    assert first.parent == second.parent == serve.ROOT
    assert serve.build_folder(3000, dev=True, env={}).name == ".web-dev"


def test_a_configured_build_folder_wins(tmp_path):
    assert serve.build_folder(3000, env={"REFLEX_WEB_WORKDIR": str(tmp_path / "web")}) == tmp_path / "web"
    assert serve.build_folder(3000, env={"REFLEX_WEB_WORKDIR": "build"}) == serve.ROOT / "build"


def test_the_command_serves_one_port_with_the_production_build():
    command = serve.reflex_command(3005, extra=["--loglevel", "info"])
    assert command[1:] == ["run", "--env", "prod", "--single-port", "--frontend-port", "3005",
                           "--backend-port", "3005", "--loglevel", "info"]
    assert serve.reflex_command(3005, dev=True)[1:] == ["run"]


def test_a_folder_in_use_cannot_be_locked_again_until_its_app_stops(tmp_path):
    folder, other = tmp_path / "web-a", tmp_path / "web-b"
    held = serve.lock_build_folder(folder, port=3000)
    try:
        with pytest.raises(serve.BuildFolderInUse) as refused:
            serve.lock_build_folder(folder, port=3000)
        message = str(refused.value)
        assert f"process {os.getpid()}, port 3000" in message and str(folder) in message
        assert "overwrite each other's pages" in message
        os.close(serve.lock_build_folder(other))  # another folder is free
    finally:
        os.close(held)
    os.close(serve.lock_build_folder(folder))  # free again once the first app is gone


def test_a_second_start_with_the_same_folder_refuses_before_building(tmp_path):
    folder, port = tmp_path / "web", free_port()  # a free port: one in use is refused before the lock
    held = serve.lock_build_folder(folder, port=port)
    try:
        started = subprocess.run(
            [sys.executable, "-m", "storefront.serve", "--port", str(port)],
            env={**os.environ, "REFLEX_WEB_WORKDIR": str(folder)}, cwd=serve.ROOT,
            capture_output=True, text=True, timeout=60,
        )
    finally:
        os.close(held)
    assert started.returncode == 1
    assert "Not starting: another Storefront app" in started.stderr
    assert "start this one on another port" in started.stderr
    assert not folder.exists()  # nothing was built


def test_a_start_on_a_port_another_program_listens_on_refuses_and_leaves_nothing_behind(tmp_path):
    folder = tmp_path / "web"
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        port = other_program.getsockname()[1]
        started = subprocess.run(
            [sys.executable, "-m", "storefront.serve", "--port", str(port)],
            env={**os.environ, "REFLEX_WEB_WORKDIR": str(folder)}, cwd=serve.ROOT,
            capture_output=True, text=True, timeout=60,
        )
    assert started.returncode == 1
    assert f"another program is already listening on port {port}" in started.stderr
    assert list(tmp_path.iterdir()) == []  # no build folder, no lock file
