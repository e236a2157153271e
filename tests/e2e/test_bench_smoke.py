"""`make bench` keeps working: each load tool runs with 2 browsers or clients and short runs, and prints its table.

A benchmark is not a test: nothing here looks at a number, only that every tool ran and reported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench import chromium
from bench.app_process import E2E_SECRET_KEY, ROOT
from bench.report import busiest_worker


def bench(*args: str, timeout: float = 600) -> str:
    env = {**os.environ, "STOREFRONT_SECRET_KEYS": E2E_SECRET_KEY, "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def table_rows(output: str, header_start: str) -> list[list[str]]:
    """The rows of the Markdown table whose header starts with `header_start`."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header_start} |"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


# One test per tool, against the session's SQLite app: `make test`'s processes share them out.
@pytest.fixture(scope="module")
def tool_args(app_server, tmp_path_factory) -> list[str]:
    """The arguments every websocket tool takes: the app, its database, and the frames captured from it."""
    url, db = app_server.base_url, f"sqlite:///{app_server.database_path}"
    frames = tmp_path_factory.mktemp("bench") / "frames.json"
    frames.write_text(bench("bench.capture", "--url", url, "--database-url", db))
    assert {"home", "claim", "verify"} <= set(json.loads(frames.read_text()))
    return ["--url", url, "--database-url", db, "--frames", str(frames)]


def test_ws_load_runs_every_scenario_closed_and_at_a_rate(app_server, tool_args):
    ws = table_rows(bench("bench.ws_load", *tool_args, "--browsers", "2", "--seconds", "1", "--rate-seconds", "1",
                          "--pgid", str(app_server.pid)), "scenario")
    assert {(row[0], row[1]) for row in ws} == {(s, m) for s in ("floor", "add", "add-spread", "claim", "confirm")
                                                for m in ("closed", "rate")}
    assert all(int(row[3]) > 0 for row in ws)  # every scenario got events through


def test_cart_size_fills_carts_of_each_size(app_server, tool_args):
    by_size = bench("bench.cart_size", *tool_args, "--browsers", "2", "--seconds", "1", "--pgid", str(app_server.pid),
                    "--rate-browsers", "3", "--rate-seconds", "2")
    sizes = table_rows(by_size, "scenario")
    assert [row[0] for row in sizes] == ["floor", "add-at-1", "add-at-5", "add-at-12", "add-spread"]
    assert all(int(row[2]) > 0 and row[3] == "0" for row in sizes)  # events, and no errors
    assert [row[0] for row in table_rows(by_size, "lines in the cart")] == ["1", "5", "12"]
    rate = table_rows(by_size, "rate scenario")  # 3 browsers sending once a second for 2 s
    assert [row[0] for row in rate] == ["floor, 1/s each", "add-spread, 1/s each"]
    assert all(row[1] == "3" and int(row[2]) >= 3 and row[3] == "0" and float(row[7]) > 0 for row in rate)


def test_page_load_loads_each_page_at_both_widths(app_server):
    loads = table_rows(bench("bench.page_load", "--url", app_server.base_url, "--runs", "1"), "page")
    assert [(row[0].split()[0], row[1]) for row in loads] == [("catalog", "1280"), ("catalog", "390"),
                                                              ("product", "1280"), ("product", "390")]
    # every page loaded its stylesheet, its scripts and its document
    assert all(int(row[3]) > 0 and int(row[7]) > 0 and float(row[10]) > 0 for row in loads)


def test_page_load_waterfall_lists_each_request_of_a_load(app_server):
    output = bench("bench.page_load", "--url", app_server.base_url, "--waterfall")
    assert output.count("| # | path |") == 2  # the catalog's load and the product page's
    requests = table_rows(output, "#")
    types = [row[2] for row in requests]
    assert types[0] == "document"
    assert [row[7] for row in requests].count("**stylesheet**") == 1
    assert sum(t.endswith("/ modulepreload") for t in types) > 1  # the page's scripts
    assert all(float(cell) >= 0 for row in requests for cell in row[3:7])
    assert "First paint" in output and "first product visible" in output


def test_bundle_sums_each_pages_javascript_by_package(app_server):
    output = bench("bench.bundle", "--web-dir", str(app_server.web_dir), "--top", "200")
    assert output.count("| package |") == 2  # the catalog and a product page
    packages = [row[0] for row in table_rows(output, "package")]
    assert {"react-dom", "react-router", "@radix-ui/themes", "(Reflex utils/)"} <= set(packages)
    # What the shop does not draw with stays out of its pages (storefront/theme.py): no Radix slider, select or
    # theme panel, which Reflex's namespace import of all of Radix Themes had brought in.
    assert not {"@radix-ui/react-slider", "@radix-ui/react-select", "@radix-ui/react-scroll-area"} & set(packages)


def test_shopper_cpu_measures_a_shopper_against_its_floor_in_each_chromium(app_server):
    binary = chromium.executable()  # the tests' own: one binary is enough to show the tool works
    rows = table_rows(bench("bench.shopper_cpu", "--url", app_server.base_url, "--shoppers", "1", "--rounds", "1",
                            *(["--chromium", str(binary)] if binary else [])), "Chromium")
    assert [row[1] for row in rows] == ["floor: /ping x3", "shopper: /, /login, /cart"]
    assert all(float(row[3]) > 0 for row in rows)


def test_rest_load_times_each_endpoint(app_server):
    rest = table_rows(bench("bench.rest_load", "--url", app_server.base_url, "--database-url",
                            f"sqlite:///{app_server.database_path}", "--clients", "2", "--seconds", "1",
                            "--requests", "3"), "endpoint")
    assert [row[0] for row in rest] == ["ping", "claim request", "confirm", "checkout"]
    assert all(int(row[2]) > 0 for row in rest)


def test_stall_probe_and_idle_memory(app_server, tool_args):
    stall = table_rows(bench("bench.stall_probe", *tool_args, "--visitors", "2", "--seconds", "1"), "probe")
    assert [row[0] for row in stall] == [f"{probe} ({when})" for when in ("while they arrive", "after")
                                          for probe in ("cheap event", "/ping")]
    idle = table_rows(bench("bench.idle_memory", *tool_args, "--browsers", "2", "--pgid", str(app_server.pid)),
                      "browsers")
    assert idle[0][0] == "2"


def test_in_process_tools_time_argon2_and_the_services():
    assert "argon2id verify" in bench("bench.argon2_verify", "--rounds", "2")
    services = table_rows(bench("bench.service_cpu", "--rounds", "2"), "service")
    assert [row[0] for row in services] == ["session lookup", "add to cart", "claim request (+ session)",
                                            "claim request (+ session, + mail)", "claim confirm (+ session, + mail)"]


def test_profile_samples_the_busiest_worker(app_server, tool_args):
    profiled = bench("bench.profile", *tool_args, "--pid", str(busiest_worker(app_server.pid)), "--scenario", "add",
                     "--browsers", "2", "--seconds", "2")
    assert table_rows(profiled, "share of busy samples")  # py-spy sampled the worker while it added to carts


# The PostgreSQL + Redis app's tests (here and in test_redis_workers.py) run in one of `make test`'s processes
# (xdist_group, with --dist loadgroup), which builds that app once.
@pytest.mark.xdist_group("postgres-redis")
@pytest.mark.timeout(1200)
def test_make_bench_runs_every_tool_on_postgres_and_redis_with_several_workers(shop_on_postgres_and_redis, redis_url):
    """`make bench`'s own driver, in its smoke mode, on the backend the session app does not cover (the suite's
    PostgreSQL + Redis app: the driver's own start of one is the same code as the session app's, start_app)."""
    app = shop_on_postgres_and_redis
    output = bench("bench.run_all", "--smoke", "--backends", "postgres+redis", "--url", app.base_url,
                   "--database-url", app.database_url, "--redis-url", redis_url, "--pgids", str(app.pid),
                   timeout=1200)
    for header in ("scenario", "endpoint", "browsers", "probe"):
        assert table_rows(output, header)
