"""Profile the app under one websocket or REST scenario with py-spy, and print where the time went.

    .venv/bin/python -m bench.profile --url http://localhost:3000 --database-url sqlite:///storefront.db \
        --pid WORKER_PID --scenario add [--browsers 10] [--seconds 8] [--out add.raw]

py-spy (root, or ptrace allowed) samples the worker's Python stacks while bench/ws_load.py (scenarios floor, add,
claim, confirm) or bench/rest_load.py (rest:claim request, rest:confirm, rest:checkout) keeps it busy. The table
is the share of samples each function was on the stack for ("inclusive"), the idle event loop left out;
`--out` keeps py-spy's raw collapsed stacks (flamegraph.pl or speedscope read them).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench import report, rest_load, ws_load

IDLE = ("EpollSelector.select", "Event.wait", "Condition.wait", "_worker (concurrent/futures/thread.py)")


def summarize(raw: str, top: int = 40) -> str:
    """Inclusive share per function of the non-idle samples, and per thread."""
    inclusive: collections.Counter[str] = collections.Counter()
    busy = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not frames or any(idle in frames[-1] for idle in IDLE):
            continue
        busy += int(count)
        for frame in dict.fromkeys(re.sub(r":\d+\)", ")", f) for f in frames):
            inclusive[frame] += int(count)
    rows = [[f"{n * 100 / busy:.1f}%", name[:110]] for name, n in inclusive.most_common(top)
            if "bootstrap" not in name and "click/" not in name and "granian/server" not in name
            and "multiprocessing" not in name and "asyncio/base_events" not in name]
    return f"{busy} busy samples\n\n" + report.table(["share of busy samples", "function (file)"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pid", type=int, required=True, help="the backend worker to sample")
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--browsers", type=int, default=10, help="browsers, or REST clients")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--frames")
    parser.add_argument("--out")
    args = parser.parse_args()
    url = args.url.rstrip("/")
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    out = args.out or tempfile.mktemp(suffix=".raw")

    def load() -> None:
        if args.scenario.startswith("rest:"):
            asyncio.run(rest_load.run_matrix(url, args.database_url, [args.browsers], [args.scenario[5:]],
                                             args.seconds + 2, 10**6, []))
        else:
            import json

            from bench.capture import capture
            frames = json.loads(Path(args.frames).read_text()) if args.frames else capture(url, args.database_url)
            asyncio.run(ws_load.run_matrix(url, frames, args.database_url, [args.browsers], ["closed"],
                                           [args.scenario], args.seconds + 2, []))

    loader = threading.Thread(target=load)
    loader.start()
    subprocess.run([py_spy, "record", "-p", str(args.pid), "-d", str(int(args.seconds)), "-r", "200", "-f", "raw",
                    "-o", out, "--nonblocking"], check=True, capture_output=True)
    loader.join()
    print(f"py-spy, {args.scenario}, {args.browsers} browsers/clients, closed loop "
          f"(load average {report.load_average()})\n")
    print(summarize(Path(out).read_text()))


if __name__ == "__main__":
    main()
