"""What every load tool shares: latency percentiles, the CPU and memory of server processes (Linux /proc), and
Markdown tables (docs/performance.md pastes them as printed)."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def percentile(samples: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def group_pids(pgids: Iterable[int]) -> list[int]:
    """Every live process in these process groups (the app starts as its own group, its workers inside)."""
    wanted, found = set(pgids), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) in wanted:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _stat(pid: int) -> list[str] | None:
    return _stat_of(Path(f"/proc/{pid}/stat"))


def _stat_of(path: Path) -> list[str] | None:
    try:
        text = path.read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # fields from the 3rd on (the name may hold spaces)


def cpu_seconds(pgids: Iterable[int]) -> float:
    """User + system CPU time used so far by every process in these groups."""
    total = 0
    for pid in group_pids(pgids):
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def thread_cpu_seconds(pid: int) -> dict[int, tuple[str, float]]:
    """Each thread of process `pid`: {thread ID: (its kernel name, user + system CPU seconds so far)}.

    The kernel name is what the thread set for itself (granian's Rust threads name theirs); Python threads keep the
    process's name, so bench/profile.py names those from py-spy's dump.
    """
    threads = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        fields = _stat_of(task / "stat")
        try:
            name = (task / "comm").read_text().strip()
        except OSError:
            continue
        if fields:
            threads[int(task.name)] = (name, (int(fields[11]) + int(fields[12])) / TICKS)
    return threads


def busiest_worker(pgid: int) -> int:
    """The app's backend worker: of the processes in its group other than the group's leader, the one that has
    used the most CPU (a capture has just loaded it; build helpers come and go)."""
    def used(pid: int) -> int:
        fields = _stat(pid)
        return int(fields[11]) + int(fields[12]) if fields else -1
    return max((pid for pid in group_pids([pgid]) if pid != pgid), key=used)


def rss_bytes(pgids: Iterable[int]) -> int:
    """Resident memory of every process in these groups (private + shared pages: an upper bound)."""
    total = 0
    for pid in group_pids(pgids):
        fields = _stat(pid)
        if fields:
            total += int(fields[21]) * PAGE  # rss in pages
    return total


def uss_bytes(pgids: Iterable[int]) -> int:
    """Memory private to these processes (Private_Clean + Private_Dirty): what one more worker's page costs."""
    total = 0
    for pid in group_pids(pgids):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def machine() -> str:
    """Cores, memory and CPU model, for the tables' heading."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} cores ({model}), {mem_kib / 1024 / 1024:.0f} GiB"
