"""A new build folder starts with the npm packages another folder of the checkout installed, never its pages."""

import os
from pathlib import Path

from storefront.build_seed import INSTALLED, seed_build_folder


def installed(folder: Path, *, record: bool = True) -> Path:
    """A build folder as Reflex leaves it after an install and a build."""
    (folder / "node_modules" / "vite" / "bin").mkdir(parents=True)
    (folder / "node_modules" / "vite" / "package.json").write_text('{"name": "vite"}')
    (folder / "node_modules" / ".bin").mkdir()
    (folder / "node_modules" / ".bin" / "vite").symlink_to("../vite/bin/vite.js")
    (folder / "node_modules" / ".package-lock.json").write_text("{}")
    (folder / "app" / "routes").mkdir(parents=True)
    (folder / "app" / "routes" / "_index.jsx").write_text("export default 1;")
    (folder / "package.json").write_text('{"name": "reflex"}')
    (folder / "build" / "client").mkdir(parents=True)
    (folder / "build" / "client" / "index.html").write_text("<html>port 3000</html>")
    if record:
        (folder / INSTALLED).write_text("payload")
    return folder


def test_a_new_folder_gets_the_installed_packages_and_skeleton_but_not_the_built_pages(tmp_path):
    source = installed(tmp_path / ".web")
    new = tmp_path / ".web-3001"
    assert seed_build_folder(new, root=tmp_path) == source
    assert (new / INSTALLED).read_text() == "payload"  # Reflex sees its packages installed: no npm install
    assert (new / "node_modules" / "vite" / "package.json").read_text() == '{"name": "vite"}'
    assert os.readlink(new / "node_modules" / ".bin" / "vite") == "../vite/bin/vite.js"
    assert (new / "app" / "routes" / "_index.jsx").exists() and (new / "package.json").exists()
    assert not (new / "build").exists()  # every start builds its own pages, for its own port


def test_packages_are_shared_but_what_gets_rewritten_is_a_copy_of_its_own(tmp_path):
    source = installed(tmp_path / ".web")
    new = tmp_path / ".web-3001"
    seed_build_folder(new, root=tmp_path)
    assert (new / "node_modules" / "vite" / "package.json").stat().st_ino == \
        (source / "node_modules" / "vite" / "package.json").stat().st_ino  # a hard link: no bytes copied
    # A compile rewrites the skeleton in place, and npm its record of the tree: the source must not change.
    (new / "app" / "routes" / "_index.jsx").write_text("export default 2;")
    (new / "node_modules" / ".package-lock.json").write_text('{"changed": true}')
    (new / INSTALLED).write_text("another payload")
    assert (source / "app" / "routes" / "_index.jsx").read_text() == "export default 1;"
    assert (source / "node_modules" / ".package-lock.json").read_text() == "{}"
    assert (source / INSTALLED).read_text() == "payload"


def test_a_folder_with_its_own_packages_is_left_alone(tmp_path):
    installed(tmp_path / ".web")
    own = installed(tmp_path / ".web-3001")
    (own / "node_modules" / "vite" / "package.json").write_text('{"name": "vite", "own": true}')
    assert seed_build_folder(own, root=tmp_path) is None
    assert "own" in (own / "node_modules" / "vite" / "package.json").read_text()


def test_nothing_is_seeded_from_a_folder_whose_install_has_not_finished(tmp_path):
    installed(tmp_path / ".web", record=False)  # node_modules but no record yet: maybe half installed
    new = tmp_path / ".web-3001"
    assert seed_build_folder(new, root=tmp_path) is None
    assert not new.exists()  # Reflex makes it and installs into it, as before


def test_a_folder_outside_the_checkout_is_seeded_too(tmp_path):
    root = tmp_path / "checkout"
    root.mkdir()
    source = installed(root / ".web-3000")
    elsewhere = tmp_path / "machine-b" / "web"  # REFLEX_WEB_WORKDIR naming a folder of its own
    assert seed_build_folder(elsewhere, root=root) == source
    assert (elsewhere / INSTALLED).exists()
