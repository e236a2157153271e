"""Where a command's CPU goes, by kind of process: what `make test` spends the machine's cores on.

    .venv/bin/python -m bench.suite_cpu                       # `make test`
    .venv/bin/python -m bench.suite_cpu -- pytest tests/e2e   # any other command

The suite's time is bound by CPU (2 cores, busy 80-90% of a run): to make it faster is to make some process do
less. This runs the command and, every second until it ends, reads each process's CPU time from /proc (Linux
only) and adds what it used since the last look to its kind: Chromium, the app servers, npm and Vite builds, the
test processes. Only the command's own processes count (its children, theirs, and so on). A process's last second
before it exits, a process that lives less than a second, and one whose parent exited before it was seen, are not
seen, so the table is a little under the truth. (The kernel's own account of a command's children misses more:
Chromium's renderers and the app servers' workers are not all reaped up the tree.) Figures vary from run to run
with the machine; compare shares, not seconds.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import report

# (kind, words any of which in a command line means that kind), first match wins: Playwright's driver is a Node
# program that starts Chromium; the app's migrate step and its workers are Python, as the test processes are.
KINDS = [
    ("Chromium", ("chromium", "chrome")),
    ("Playwright driver", ("playwright/driver",)),
    ("npm and Vite builds (node)", ("node", "npm", "vite", "react-router")),
    ("app servers (Reflex, granian, migrate)", ("reflex", "granian", "storefront.serve", "storefront.migrate")),
    ("PostgreSQL", ("postgres",)),
    ("Redis", ("redis",)),
    ("bench tools", ("-m bench.",)),
    ("test processes (pytest, xdist workers)", ("pytest", "exec(eval(sys.stdin")),
]
OTHER = "other"
HEADERS = ["kind of process", "CPU s", "share"]
MAKE_TEST = ["make", "test"]  # the Makefile keeps the pytest options (XDIST): not repeated here


def kind_of(command_line: str) -> str:
    """The kind a process is, from its command line."""
    lowered = command_line.lower()
    return next((kind for kind, words in KINDS if any(word in lowered for word in words)), OTHER)


def _command_line(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return None


class Sampler:
    """CPU ticks by kind, of the process `root` and everything it starts (a process is known as the command's
    once its parent is): each sample adds what each one used since the last."""

    def __init__(self, root: int) -> None:
        self.tree = {root}
        self.seen: dict[int, int] = {}  # pid -> its CPU ticks at the last sample
        self.ticks: collections.Counter = collections.Counter()

    def sample(self) -> None:
        stats = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit() and (fields := report._stat(int(entry.name))):
                stats[int(entry.name)] = fields
        grew = True
        while grew:  # children first seen with their parents, in any order of process IDs
            new = {pid for pid, fields in stats.items() if pid not in self.tree and int(fields[1]) in self.tree}
            self.tree |= new
            grew = bool(new)
        for pid in self.tree & stats.keys():
            # Read each time: a process forked by another is that one until it execs its own program.
            command_line = _command_line(pid)
            if not command_line:  # gone already
                continue
            ticks = int(stats[pid][11]) + int(stats[pid][12])  # utime, stime
            self.ticks[kind_of(command_line)] += ticks - self.seen.get(pid, 0)
            self.seen[pid] = ticks


def run(command: list[str], every: float = 1.0) -> tuple[int, float, dict[str, float]]:
    """(exit code, wall seconds, sampled CPU seconds by kind)."""
    started = time.perf_counter()
    process = subprocess.Popen(command)
    sampler = Sampler(process.pid)
    while process.poll() is None:
        sampler.sample()
        time.sleep(every)
    wall = time.perf_counter() - started
    by_kind = {kind: ticks / report.TICKS for kind, ticks in sampler.ticks.items() if ticks > 0}
    return process.returncode, wall, by_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="*", help="the command to run (default: `make test`)")
    args = parser.parse_args()
    command = args.command or MAKE_TEST
    code, wall, by_kind = run(command)
    total = sum(by_kind.values())
    rows = [(kind, f"{cpu:.0f}", f"{cpu / total:.0%}") for kind, cpu in sorted(by_kind.items(), key=lambda kv: -kv[1])]
    print(f"\n## CPU by kind of process: `{' '.join(command)}` (exit code {code}), {wall:.0f} s on "
          f"{report.machine()}\n")
    print(report.table(HEADERS, rows))
    print(f"\n{total:.0f} s of CPU in {wall:.0f} s: {total / wall:.1f} of {os.cpu_count()} cores busy on average.")
    sys.exit(code)


if __name__ == "__main__":
    main()
