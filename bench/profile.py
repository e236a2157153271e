"""Profile the app under websocket or REST scenarios with py-spy, and print where the time went.

    make profile                                  # starts its own app on SQLite: add, claim, REST claim request
    .venv/bin/python -m bench.profile --scenario add,claim,rest:claim request [--browsers 10] [--seconds 8]
    .venv/bin/python -m bench.profile --url http://localhost:3000 --database-url sqlite:///storefront.db \
        --pid WORKER_PID --scenario add [--out add.raw]           # an app you started yourself

py-spy (root, or ptrace allowed) samples the worker's Python stacks while bench/ws_load.py (scenarios floor, add,
claim, confirm) or bench/rest_load.py (rest:claim request, rest:confirm, rest:checkout) keeps it busy. The table
is the share of samples each function was on the stack for ("inclusive"), the idle event loop left out;
`--out` keeps py-spy's raw collapsed stacks (flamegraph.pl or speedscope read them). A second table is the CPU
each of the worker's threads used meanwhile (/proc): the event loop, the database thread, granian's I/O threads.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench import report, rest_load, servers, stall_probe, ws_load
from bench.capture import capture, frames_for
from bench.seed import BENCH_SECRET_KEY

REST_ROWS_PER_CLIENT = 400  # rows seeded per REST client: more than one client sends in a profile's seconds
IDLE = ("EpollSelector.select", "Event.wait", "Condition.wait", "_worker (concurrent/futures/thread.py)")


def summarize(raw: str, top: int = 40) -> str:
    """Inclusive share per function of the non-idle samples, and per thread."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    busy = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not count.isdigit():  # the rest of a frame name that held a line break
            continue
        leaf = re.sub(r":\d+\)", ")", frames[-1])  # py-spy's line numbers off, as IDLE names them
        if any(idle in leaf for idle in IDLE):
            continue
        busy += int(count)
        own[leaf] += int(count)
        for frame in dict.fromkeys(re.sub(r":\d+\)", ")", f) for f in frames):
            inclusive[frame] += int(count)
    rows = [[f"{n * 100 / busy:.1f}%", name[:110]] for name, n in inclusive.most_common(top)
            if "bootstrap" not in name and "click/" not in name and "granian/server" not in name
            and "multiprocessing" not in name and "asyncio/base_events" not in name]
    leaves = [[f"{n * 100 / busy:.1f}%", name[:110]] for name, n in own.most_common(15)]
    return (f"{busy} busy samples\n\n" + report.table(["share of busy samples", "function (file)"], rows)
            + "\n\nWhere the samples ended (own time: the function itself, or the C code it called):\n\n"
            + report.table(["own share", "function (file)"], leaves))


def profile(url: str, database_url: str, pid: int, scenario: str, browsers: int, seconds: float,
            frames: dict | None, out: str | None) -> None:
    """Sample worker `pid` while `browsers` closed-loop browsers (or REST clients) run `scenario`; print the table."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    out = out or tempfile.mktemp(suffix=".raw")

    def load() -> None:
        if scenario == "visit":  # one page load per browser, as the stall probe's past visitors make
            asyncio.run(stall_probe.visit(url, frames or capture(url, database_url), browsers))
        elif scenario.startswith("rest:"):
            asyncio.run(rest_load.run_matrix(url, database_url, [browsers], [scenario[5:]], seconds + 2,
                                             REST_ROWS_PER_CLIENT, []))
        else:
            asyncio.run(ws_load.run_matrix(url, frames or capture(url, database_url), database_url, [browsers],
                                           ["closed"], [scenario], seconds + 2, []))

    names = python_thread_names(py_spy, pid)
    cpu_before = report.thread_cpu_seconds(pid)
    loader = threading.Thread(target=load)
    loader.start()
    spy = subprocess.run([py_spy, "record", "-p", str(pid), "-d", str(int(seconds)), "-r", "200", "-f", "raw",
                          "-o", out, "--nonblocking"], capture_output=True, text=True)
    cpu_after = report.thread_cpu_seconds(pid)
    loader.join()
    if spy.returncode:
        raise RuntimeError(f"py-spy failed: {spy.stderr.strip()[-2000:]}")
    print(f"\n#### py-spy, {scenario}, {browsers} browsers/clients, closed loop "
          f"(load average {report.load_average()})\n")
    print(summarize(Path(out).read_text()), flush=True)
    print(f"\nCPU by thread over the {int(seconds)} s sampled (/proc; py-spy's own pauses included):\n")
    print(thread_table(cpu_before, cpu_after, names), flush=True)


def python_thread_names(py_spy: str, pid: int) -> dict[int, str]:
    """{OS thread ID: Python thread name} of the worker's Python threads, from py-spy's dump."""
    dump = subprocess.run([py_spy, "dump", "--json", "--nonblocking", "-p", str(pid)], capture_output=True, text=True)
    try:
        return {t["os_thread_id"]: t["thread_name"] for t in json.loads(dump.stdout) if t.get("os_thread_id")}
    except ValueError:
        return {}


def thread_table(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]],
                 names: dict[int, str]) -> str:
    """CPU seconds each thread (grouped by name, numbered pool threads together) used between the two readings.

    A thread with no Python name is one of granian's (its Rust threads serve the HTTP and websocket I/O).
    """
    used: collections.Counter[str] = collections.Counter()
    for tid, (comm, seconds) in after.items():
        name = re.sub(r"_\d+$", "_N", names.get(tid) or f"{comm} (native)")
        used[name] += seconds - before.get(tid, (comm, 0.0))[1]
    total = sum(used.values()) or 1.0
    rows = [[name, f"{seconds:.2f}", f"{seconds * 100 / total:.0f}%"] for name, seconds in used.most_common()
            if seconds > 0]
    return report.table(["thread", "CPU s", "share"], rows)


def own_app(scenarios: list[tuple[str, int]], seconds: float, out: str | None) -> None:
    """Start the production app on a fresh SQLite database (one worker, as make bench does) and profile each."""
    with tempfile.TemporaryDirectory(prefix="storefront-profile-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        with servers.app(Path(tmp), url) as app:
            frames = capture(app.base_url, url)
            worker = report.busiest_worker(app.pid)
            print(f"## py-spy profiles: {report.machine()}; the backend worker (one on SQLite)", flush=True)
            for scenario, browsers in scenarios:
                raw = str(Path(out) / f"{re.sub(r'[^a-z]+', '-', scenario)}.raw") if out else None
                profile(app.base_url, url, worker, scenario, browsers, seconds, frames, raw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an app already running (else one is started on SQLite)")
    parser.add_argument("--database-url")
    parser.add_argument("--pid", type=int, help="the backend worker to sample (with --url)")
    parser.add_argument("--scenario", default="add,claim@50,rest:claim request@8",
                        help="comma-separated: floor, add, claim, confirm, rest:claim request, rest:confirm, "
                             "rest:checkout, visit (N browsers each open /cart once); @N sets that one's browsers "
                             "or clients")
    parser.add_argument("--browsers", type=int, default=10, help="browsers, or REST clients")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--frames")
    parser.add_argument("--out", help="keep py-spy's raw stacks: a file with --url, else a folder (one per scenario)")
    args = parser.parse_args()
    os.environ["STOREFRONT_SECRET_KEYS"] = BENCH_SECRET_KEY  # the app started here signs with it; seeds must too
    scenarios = [(name.strip(), int(count) if count else args.browsers)
                 for name, _, count in (s.partition("@") for s in args.scenario.split(",")) if name.strip()]
    if not args.url:
        own_app(scenarios, args.seconds, args.out)
        return
    if not (args.database_url and args.pid):
        parser.error("--url needs --database-url and --pid")
    url = args.url.rstrip("/")
    frames = frames_for(url, args.database_url, args.frames)
    for scenario, browsers in scenarios:
        profile(url, args.database_url, args.pid, scenario, browsers, args.seconds, frames,
                args.out)


if __name__ == "__main__":
    main()
