"""Throwaway PostgreSQL and Redis servers and the app itself, for the load tools and the test suite alike
(Debian's binaries, PostgreSQL as its own user when run as root, nothing saved to disk; the app through
bench/app_process.py). Each runs as its own process group, so the load tools can add up its CPU time
(bench/report.py)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import resource
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.app_process import ROOT, free_port, start_app, stop
from bench.seed import BENCH_SECRET_KEY

BENCH_WEB_DIR = ROOT / ".web-bench"  # its own build folder: a test run from this checkout keeps .web


@contextlib.contextmanager
def postgres() -> Iterator[tuple[str, int]]:
    """(DATABASE_URL, process group) of a new PostgreSQL server with fsync off, removed on exit."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (make install-test installs it as root)")
    bin_dir = Path(found[-1]).parent
    data = Path(tempfile.mkdtemp(prefix="storefront-bench-pg-"))
    port, prefix = free_port(), []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(data, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*prefix, str(bin_dir / "initdb"), "-D", str(data / "db"), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8"], check=True, capture_output=True)
    server = subprocess.Popen(
        [*prefix, str(bin_dir / "postgres"), "-D", str(data / "db"), "-p", str(port), "-k", str(data),
         "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while subprocess.run([str(bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                             capture_output=True).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not start")
            time.sleep(0.2)
        subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                        "storefront_bench"], check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/storefront_bench", server.pid
    finally:
        stop(server)
        shutil.rmtree(data, ignore_errors=True)


@contextlib.contextmanager
def redis() -> Iterator[tuple[str, int]]:
    """(REDIS_URL, process group) of a new Redis server that saves nothing."""
    server_bin = shutil.which("redis-server")
    if not server_bin:
        raise RuntimeError("redis-server is not installed (make install-test installs it as root)")
    port = free_port()
    server = subprocess.Popen([server_bin, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("Redis did not start")
            time.sleep(0.2)
        yield f"redis://127.0.0.1:{port}/0", server.pid
    finally:
        stop(server)


def create_database(server_url: str, name: str) -> str:
    """A new, empty database `name` on the PostgreSQL server of `server_url`; returns its URL."""
    import psycopg

    base = server_url.rsplit("/", 1)[0]
    with psycopg.connect(base.replace("postgresql+psycopg://", "postgresql://") + "/postgres",
                         autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def redis_used_memory(url: str) -> int:
    """Redis's own count of the bytes it holds (INFO memory)."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"INFO memory\r\n")
        data = b""
        while b"used_memory:" not in data or not data.endswith(b"\r\n"):
            data += sock.recv(65536)
    return int(data.split(b"used_memory:")[1].split(b"\r\n")[0])


def more_open_files() -> None:
    """A thousand browsers need a thousand sockets on each side: raise this process's (and children's) limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))


@contextlib.contextmanager
def app(workdir: Path, database_url: str, redis_url: str | None = None, workers: int | None = None):
    """The production app as `make run` serves it (bench/app_process.py), on this bench's own build folder."""
    more_open_files()
    settings = {"DATABASE_URL": database_url, "STOREFRONT_SECRET_KEYS": BENCH_SECRET_KEY,
                "web_dir": str(BENCH_WEB_DIR)}
    if redis_url:
        settings["REDIS_URL"] = redis_url
    if workers:
        settings["GRANIAN_WORKERS"] = str(workers)
    with start_app(workdir, **settings) as running:
        yield running
