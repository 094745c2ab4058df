#!/usr/bin/env python3
"""Whole-process benchmark of `poolc build` and `poolc check`.

Generates sites of 1, 1,000 and 10,000 pools in each workload of
bench/workloads.py (`template`: pools extending a shared template; `full`:
each pool spelled out as `poolc import` writes it), then runs the release
binary on each:

- wall time: the median (and spread) of several runs after a warm-up run,
  for `build` to stdout, `build -o DIR` and `check`;
- peak resident memory, with GNU time (`/usr/bin/time -f %M`; a process
  started from Python would inherit the interpreter's high-water mark,
  while time's own is under 1 MiB);
- with --instructions, the instructions each run executes (valgrind's
  callgrind, which counts the same however busy the machine is), and per
  byte of source;
- for the 1-pool site, the build's wall time as a ratio to `poolc
  --version`, the two run alternately so that both see the same machine.

    python3 bench/build.py [--runs N] [--sizes 1,1000,10000]
        [--workloads template,full] [--modes stdout,out,check]
        [--instructions] [--markdown] [--no-build]

Builds the release binary first (unless --no-build). POOLC=PATH runs
another binary (a build of main, to compare). Needs Python 3 and GNU time
(Debian: time), and valgrind for --instructions.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from workloads import POOLC, REPO, WORKLOADS, site  # noqa: E402,F401  (site: watch.py, lsp.py)

GNU_TIME = "/usr/bin/time"
MODES = ("stdout", "out", "check")


def command(mode, path, work):
    if mode == "stdout":
        return [POOLC, "build", path]
    if mode == "out":
        # A folder per site: poolc will not overwrite another site's output.
        site_name = os.path.splitext(os.path.basename(path))[0]
        return [POOLC, "build", path, "-o", os.path.join(work, f"out-{site_name}")]
    return [POOLC, "check", path]


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


def instructions(args, cwd):
    """Instructions one run executes, counted by callgrind."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + args,
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    collected = [line for line in result.stderr.splitlines() if "Collected" in line]
    if result.returncode != 0 or not collected:
        sys.exit(f"callgrind failed on {' '.join(args)}: {result.stderr[-2000:]}")
    return int(collected[-1].split(":")[-1].strip())


def summary(times):
    times = sorted(times)
    return {"median_ms": statistics.median(times) * 1000, "min_ms": times[0] * 1000, "max_ms": times[-1] * 1000}


def measure(args, cwd, runs, count_instructions):
    wall(args, cwd)  # warm the page cache
    row = summary([wall(args, cwd) for _ in range(runs)])
    row["peak_mib"] = max(peak_kib(args, cwd) for _ in range(3)) / 1024
    row["instructions"] = instructions(args, cwd) if count_instructions else None
    return row


def versus_version(args, cwd, runs):
    """The build's and `poolc --version`'s wall times, run alternately."""
    version = [POOLC, "--version"]
    wall(args, cwd)
    wall(version, cwd)
    builds, versions = [], []
    for _ in range(runs):
        builds.append(wall(args, cwd))
        versions.append(wall(version, cwd))
    return summary(builds), summary(versions)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sizes", default="1,1000,10000")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--instructions", action="store_true", help="count instructions with callgrind")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--no-build", action="store_true", help="do not build the release binary first")
    options = parser.parse_args()
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit(f"{GNU_TIME} is missing: install GNU time (Debian: apt-get install time)")
    if not options.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "poolc-cli"], cwd=REPO, check=True)
    rows, ratios = [], []
    with tempfile.TemporaryDirectory() as work:
        for workload in options.workloads.split(","):
            for size in (int(s) for s in options.sizes.split(",")):
                path = os.path.join(work, f"{workload}{size}.pool")
                text = site(size, workload)
                with open(path, "w") as f:
                    f.write(text)
                runs = options.runs if size < 10000 else max(5, options.runs // 3)
                for mode in options.modes.split(","):
                    args = command(mode, path, work)
                    row = measure(args, work, runs, options.instructions)
                    rows.append((workload, size, len(text), mode, runs, row))
                    print(f"{workload:>8} {size:>6} pools {mode:>6}: {row['median_ms']:8.1f} ms "
                          f"({row['min_ms']:.1f}–{row['max_ms']:.1f})  {row['peak_mib']:6.1f} MiB"
                          + (f"  {row['instructions'] / 1e6:9.1f} M instr" if row["instructions"] else ""),
                          file=sys.stderr, flush=True)
                if size == 1:
                    build, version = versus_version(command("stdout", path, work), work, max(runs, 21))
                    ratios.append((workload, build, version))
    if options.markdown:
        print_markdown(rows, ratios)
    else:
        print_plain(rows, ratios)


def print_markdown(rows, ratios):
    print("| workload | pools | source | command | runs | median (min–max) | peak memory | instructions | per source byte |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for workload, size, length, mode, runs, r in rows:
        name = {"stdout": "build", "out": "build -o DIR", "check": "check"}[mode]
        count = f"{r['instructions'] / 1e6:,.1f} M" if r["instructions"] else "–"
        per_byte = f"{r['instructions'] / length:,.0f}" if r["instructions"] else "–"
        print(f"| {workload} | {size:,} | {length / 1e6:.2f} MB | {name} | {runs} "
              f"| {r['median_ms']:.1f} ms ({r['min_ms']:.1f}–{r['max_ms']:.1f}) | {r['peak_mib']:.1f} MiB "
              f"| {count} | {per_byte} |")
    if ratios:
        print()
        print("| workload | 1 pool, build: median | `poolc --version`: median | ratio |")
        print("|---|---:|---:|---:|")
        for workload, build, version in ratios:
            print(f"| {workload} | {build['median_ms']:.2f} ms | {version['median_ms']:.2f} ms "
                  f"| {build['median_ms'] / version['median_ms']:.2f}× |")


def print_plain(rows, ratios):
    for workload, size, length, mode, runs, r in rows:
        extra = ""
        if r["instructions"]:
            extra = f"  {r['instructions'] / 1e6:9.1f} M instr ({r['instructions'] / length:.0f}/byte)"
        print(f"{workload:>8} {size:>6} pools {mode:>6}: {r['median_ms']:8.1f} ms "
              f"({r['min_ms']:.1f}–{r['max_ms']:.1f})  {r['peak_mib']:6.1f} MiB  ({runs} runs){extra}")
    for workload, build, version in ratios:
        print(f"{workload:>8} 1 pool build {build['median_ms']:.2f} ms vs --version {version['median_ms']:.2f} ms: "
              f"{build['median_ms'] / version['median_ms']:.2f}×")


if __name__ == "__main__":
    main()
