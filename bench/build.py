#!/usr/bin/env python3
"""Whole-process benchmark of `poolc build`.

Generates sites of 1, 1,000 and 10,000 pools (each pool extends a template,
sets replicas, labels, credentials and a launcher setting: the shape of a
real site), then runs the release binary on each several times, measuring
wall time (median, and spread), and peak resident memory with GNU time
(`/usr/bin/time -f %M`; a process started from Python would inherit the
interpreter's high-water mark, while time's own is under 1 MiB).

    python3 bench/build.py [--runs N] [--sizes 1,1000,10000] [--markdown]

Builds the release binary first. Needs Python 3 and GNU time (Debian: time).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POOLC = os.path.join(REPO, "target", "release", "poolc")

TEMPLATE = '''let registry = "registry.example.com/mirror"

template "base" {
  launcher {
    image = "${registry}/spacelift/launcher:latest"
    resources {
      requests = { cpu = 500m, memory = 512Mi }
      limits   = { memory = 1Gi }
    }
    run_timeout = 2h
  }
  dind {
    resources { requests = { cpu = 1, memory = 2Gi } }
  }
  node_selector = { "node.example.com/pool" = "ci" }
  tolerations   = [{ key = "dedicated", operator = "Equal", value = "ci", effect = "NoSchedule" }]
}
'''

POOL = '''
pool "pool-{i}" extends "base" {{
  replicas = {replicas}
  labels   = {{ team = "team-{team}" }}
  credentials external "pool-{i}-credentials"
  launcher {{ debug = {debug} }}
}}
'''


def site(pools):
    parts = [TEMPLATE]
    for i in range(pools):
        parts.append(POOL.format(i=i, replicas=1 + i % 5, team=i % 17, debug="true" if i % 2 else "false"))
    return "".join(parts)


GNU_TIME = "/usr/bin/time"


def wall(args, cwd):
    """Seconds one run takes."""
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {result.stderr.decode()}")
    return elapsed


def peak_kib(args, cwd):
    """Peak resident memory of one run, in KiB, as GNU time reports it."""
    result = subprocess.run([GNU_TIME, "-f", "%M"] + args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return int(result.stderr.decode().strip().splitlines()[-1])


def measure(args, cwd, runs):
    wall(args, cwd)  # warm the page cache
    times = sorted(wall(args, cwd) for _ in range(runs))
    return {
        "median_ms": statistics.median(times) * 1000,
        "min_ms": times[0] * 1000,
        "max_ms": times[-1] * 1000,
        "peak_mib": max(peak_kib(args, cwd) for _ in range(3)) / 1024,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sizes", default="1,1000,10000")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    options = parser.parse_args()
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit(f"{GNU_TIME} is missing: install GNU time (Debian: apt-get install time)")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for size in (int(s) for s in options.sizes.split(",")):
            path = os.path.join(work, f"site{size}.pool")
            with open(path, "w") as f:
                f.write(site(size))
            runs = options.runs if size < 10000 else max(5, options.runs // 3)
            stream = measure([POOLC, "build", path], work, runs)
            folder = measure([POOLC, "build", path, "-o", os.path.join(work, f"out{size}")], work, runs)
            rows.append((size, runs, stream, folder))
    if options.markdown:
        print("| pools | runs | stdout: median (min–max) | stdout: peak memory | -o DIR: median (min–max) | -o DIR: peak memory |")
        print("|---:|---:|---:|---:|---:|---:|")
        for size, runs, s, f in rows:
            print(f"| {size:,} | {runs} | {s['median_ms']:.1f} ms ({s['min_ms']:.1f}–{s['max_ms']:.1f}) | {s['peak_mib']:.1f} MiB "
                  f"| {f['median_ms']:.1f} ms ({f['min_ms']:.1f}–{f['max_ms']:.1f}) | {f['peak_mib']:.1f} MiB |")
    else:
        for size, runs, s, f in rows:
            print(f"{size:>6} pools  stdout {s['median_ms']:8.1f} ms  {s['peak_mib']:6.1f} MiB   "
                  f"-o DIR {f['median_ms']:8.1f} ms  {f['peak_mib']:6.1f} MiB   ({runs} runs)")
        base = rows[-1][2]["median_ms"] / rows[-1][0]
        print(f"cost per pool at the largest size: {base * 1000:.1f} µs")


if __name__ == "__main__":
    main()
