#!/usr/bin/env python3
"""Save-to-output latency of `poolc watch`.

Starts the release binary as `poolc watch site.pool -o out` on sites of 1
and 1,000 pools (the sites of bench/build.py), then saves the site again
and again, each time changing one pool's replicas (a different pool each
time, spread over the site), and measures from the moment the save
completes (the file is closed) to the moment the changed output file is
renamed into place, seen with inotify on the output folder. Between saves
it waits for the watcher's status line, so each save is a rebuild of its
own and not part of a burst.

The latency includes poolc's debounce window (50 ms): the figures beyond
the window are the latency less the window.

It also reports the watcher's peak resident memory (VmHWM in
/proc/PID/status) at the end of the saves.

    python3 bench/watch.py [--runs N] [--sizes 1,1000,10000]
        [--workloads template,full] [--markdown] [--no-build]

Builds the release binary first. Linux only (inotify, through ctypes).
"""
import argparse
import ctypes
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from workloads import POOLC, REPO, WORKLOADS, site, with_replicas  # noqa: E402  the sites of bench/build.py

DEBOUNCE_MS = 50.0
IN_MOVED_TO = 0x80
EVENT_HEADER = struct.Struct("iIII")
PATIENCE_S = 15.0


class RenamesInto:
    """Names of files renamed into a folder, as inotify reports them."""

    def __init__(self, folder):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_CLOEXEC)
        if self.fd < 0 or self.libc.inotify_add_watch(self.fd, folder.encode(), IN_MOVED_TO) < 0:
            sys.exit(f"inotify: {os.strerror(ctypes.get_errno())}")

    def wait_for(self, name):
        """Blocks until `name` is renamed into the folder; returns the time."""
        deadline = time.perf_counter() + PATIENCE_S
        while True:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.perf_counter()))
            if not ready:
                sys.exit(f"{name} was not written within {PATIENCE_S} s")
            data = os.read(self.fd, 1 << 16)
            seen = time.perf_counter()
            offset = 0
            while offset < len(data):
                _, _, _, length = EVENT_HEADER.unpack_from(data, offset)
                start = offset + EVENT_HEADER.size
                if data[start:start + length].rstrip(b"\0").decode() == name:
                    return seen
                offset = start + length


class Watcher:
    """A running `poolc watch site.pool -o out`."""

    def __init__(self, work):
        self.process = subprocess.Popen(
            [POOLC, "watch", "site.pool", "-o", "out"],
            cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)

    def status(self):
        """The next status line, without its time stamp."""
        for line in self.process.stderr:
            if re.match(r"\[\d\d:\d\d:\d\d\] ", line):
                return line[11:].strip()
        sys.exit(f"poolc watch ended: {self.process.wait()}")

    def peak_mib(self):
        """The watcher's peak resident memory so far."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        self.process.send_signal(2)  # SIGINT, as Ctrl-C
        if self.process.wait(timeout=PATIENCE_S) != 0:
            sys.exit(f"poolc watch exited with {self.process.returncode}")


def measure(pools, workload, runs, work):
    """Latencies of `runs` saves, poolc's own build times, in ms, and the
    watcher's peak memory."""
    path = os.path.join(work, "site.pool")
    text = site(pools, workload)
    with open(path, "w") as f:
        f.write(text)
    watcher = Watcher(work)
    first = watcher.status()
    if "built" not in first:
        sys.exit(f"first build: {first}")
    renames = RenamesInto(os.path.join(work, "out"))
    latencies, builds = [], []
    for run in range(runs):
        pool = run * 7919 % pools  # a prime stride: spread over the site
        replicas = 10 + run % 2  # build.py's sites use 1 to 5
        text = with_replicas(text, pool, replicas)
        with open(path, "w") as f:  # in place, as most editors save
            f.write(text)
        saved = time.perf_counter()
        in_place = renames.wait_for(f"pool-{pool}.yaml")
        status = watcher.status()
        built = re.match(r"[\d,]+ pools? built in ([\d.]+) ms, 1 file changed$", status)
        if not built:
            sys.exit(f"unexpected status after a save: {status}")
        latencies.append((in_place - saved) * 1000)
        builds.append(float(built.group(1)))
        time.sleep(0.05)  # a pause between saves, so none is part of a burst
    peak = watcher.peak_mib()
    watcher.stop()
    return latencies, builds, peak


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--sizes", default="1,1000,10000")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--no-build", action="store_true", help="do not build the release binary first")
    options = parser.parse_args()
    if not options.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "poolc-cli"], cwd=REPO, check=True)
    rows = []
    for workload in options.workloads.split(","):
        for size in (int(s) for s in options.sizes.split(",")):
            runs = options.runs if size < 10000 else max(10, options.runs // 5)
            with tempfile.TemporaryDirectory() as work:
                latencies, builds, peak = measure(size, workload, runs, work)
            median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
            rows.append((workload, size, runs, median, p95, statistics.median(builds), peak))
            print(f"{workload:>8} {size:>6} pools  median {median:6.1f} ms  p95 {p95:6.1f} ms  "
                  f"build {statistics.median(builds):5.1f} ms  peak {peak:6.1f} MiB  ({runs} saves)",
                  file=sys.stderr, flush=True)
    if options.markdown:
        print(f"| workload | pools | saves | save → file in place: median | p95 | beyond the {DEBOUNCE_MS:.0f} ms window: median "
              "| poolc's build time: median | watcher's peak memory |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for workload, size, runs, median, p95, build, peak in rows:
            print(f"| {workload} | {size:,} | {runs} | {median:.1f} ms | {p95:.1f} ms | {median - DEBOUNCE_MS:.1f} ms "
                  f"| {build:.1f} ms | {peak:.1f} MiB |")
    else:
        for workload, size, runs, median, p95, build, peak in rows:
            print(f"{workload:>8} {size:>6} pools  median {median:6.1f} ms  p95 {p95:6.1f} ms  "
                  f"(beyond the window: {median - DEBOUNCE_MS:5.1f}, {p95 - DEBOUNCE_MS:5.1f})  "
                  f"build {build:5.1f} ms  peak {peak:6.1f} MiB  ({runs} saves)")


if __name__ == "__main__":
    main()
