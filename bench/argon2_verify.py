"""Measure one argon2id password verify with the app's parameters (19 MiB, t=2, p=1).

Run: `make bench` or `.venv/bin/python bench/argon2_verify.py [--rounds N]`.
Prints the median, min and max wall time of N verifies on this machine.
"""

from __future__ import annotations

import argparse
import statistics
import time

from storefront.services.passwords import ARGON2_PARAMS, default_context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    context = default_context()
    stored = context.hash("correct horse battery staple")
    context.verify("correct horse battery staple", stored)  # warm up
    samples = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        assert context.verify("correct horse battery staple", stored)
        samples.append((time.perf_counter() - start) * 1000)
    print(f"argon2id verify {ARGON2_PARAMS}: median {statistics.median(samples):.1f} ms, "
          f"min {min(samples):.1f} ms, max {max(samples):.1f} ms over {args.rounds} rounds")


if __name__ == "__main__":
    main()
