"""A new build folder starts with the npm packages another build folder of this checkout already installed.

Each port builds into a folder of its own (storefront/serve.py), and Reflex installs the frontend's npm packages
into each new folder: ~150 MB in ~13,000 files, ~14 s on 2 cores, the same packages every time for the same app.
So a folder that has never installed them gets a copy of one that has: the packages in its `node_modules` as hard
links (no bytes copied: a build only reads them, and an npm install replaces a package by renaming, never by
writing into the old files) and everything else, Reflex's record of the install and npm's own record of the
tree (`node_modules/.package-lock.json`, which npm rewrites in place) included, as plain copies. Reflex then
sees its packages installed and goes straight to compiling. The built pages (`build/`) are never copied: every
start builds its own, for its own port and settings.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Reflex writes this file into a build folder once its npm install has finished (and removes it before an
# install whose package lists changed): a folder without it may be mid-install.
INSTALLED = "reflex.install_frontend_packages.cached"


def installed_folder(*, root: Path = ROOT, besides: Path) -> Path | None:
    """A build folder of this checkout (`.web`, `.web-<port>`, ...) whose npm packages are installed, if any."""
    for folder in sorted(root.glob(".web*")):
        if folder.is_dir() and folder.resolve() != besides.resolve() and (folder / INSTALLED).is_file() \
                and (folder / "node_modules").is_dir():
            return folder
    return None


def seed_build_folder(folder: Path, *, root: Path = ROOT) -> Path | None:
    """Give `folder` the npm packages of an installed build folder, unless it has its own.

    Returns:
        The folder it was seeded from, or None: it had installed packages already, or no folder had.
    """
    if (folder / INSTALLED).exists():
        return None
    source = installed_folder(root=root, besides=folder)
    if source is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    tree = source / "node_modules" / ".package-lock.json"  # npm rewrites it in place: a copy of its own

    def link(src: str, dst: str) -> None:
        (shutil.copy2 if Path(src) == tree else os.link)(src, dst)

    for entry in source.iterdir():
        if entry.name in ("build", INSTALLED):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, folder / entry.name, symlinks=True, dirs_exist_ok=True,
                            copy_function=link if entry.name == "node_modules" else shutil.copy2)
        else:
            shutil.copy2(entry, folder / entry.name, follow_symlinks=False)
    # The record last: a start interrupted before this point leaves a folder Reflex installs into as usual.
    shutil.copy2(source / INSTALLED, folder / INSTALLED)
    return source
