#!/usr/bin/env python3
"""Keystroke-to-diagnostics latency of `poolc lsp`.

Starts the release binary's language server, opens a generated site of N
pools in one file (the sites of bench/build.py), then, run after run, sends
a keystroke (a `textDocument/didChange` with the whole text, one character
different, as editors send it) and times until the server publishes that
version's diagnostics. Reports the median and spread of the runs after a
warm-up, per site size.

    python3 bench/lsp.py [--runs N] [--sizes 1,1000] [--markdown] [--instructions]

With --instructions it counts instead the instructions one keystroke costs
(valgrind's callgrind, which counts repeatably however busy the machine
is): the server's total over 11 keystrokes less its total over 1, over 10.

Builds the release binary first. Needs Python 3 (and valgrind for
--instructions).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build import REPO, POOLC, site  # noqa: E402


class Server:
    def __init__(self, wrapper=()):
        self.process = subprocess.Popen(
            list(wrapper) + [POOLC, "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if wrapper else subprocess.DEVNULL,
        )
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                sys.exit("the server closed its output")
            line = line.strip()
            if not line:
                break
            if line.startswith(b"Content-Length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id:
                return message.get("result")

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri, version):
        """Waits for the diagnostics of `version` of `uri`."""
        while True:
            message = self.receive()
            params = message.get("params") or {}
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and params.get("uri") == uri
                and params.get("version") == version
            ):
                return params["diagnostics"]

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=600)


CALLGRIND = ("valgrind", "--tool=callgrind", "--callgrind-out-file=" + os.environ.get("CALLGRIND_OUT", "/dev/null"))


def instructions(pools):
    """Instructions one keystroke costs the server."""
    totals = []
    for keystrokes in (1, 11):
        server = measure(pools, keystrokes, CALLGRIND, keep=True)
        report = server.process.stderr.read().decode()
        collected = [line for line in report.splitlines() if "Collected" in line]
        totals.append(int(collected[-1].split(":")[-1].strip()))
    return (totals[1] - totals[0]) / 10


def measure(pools, runs, wrapper=(), keep=False):
    """Milliseconds from each keystroke to its diagnostics."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "site.pool")
        text = site(pools)
        with open(path, "w") as f:
            f.write(text)
        uri = "file://" + path
        server = Server(wrapper)
        server.request("initialize", {"processId": None, "rootUri": "file://" + folder, "capabilities": {}})
        server.notify("initialized", {})
        server.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "pool", "version": 0, "text": text}},
        )
        first = server.diagnostics(uri, 0)
        if first:
            sys.exit(f"the generated site has diagnostics: {first[:3]}")
        times = []
        # The keystroke: a character typed into (then deleted from) the
        # last pool's labels, so every run checks a changed text.
        edited = text.replace('team = "team-', 'team = "xteam-', 1)
        for version in range(1, runs + 2):
            changed = edited if version % 2 else text
            start = time.perf_counter()
            server.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]},
            )
            server.diagnostics(uri, version)
            times.append((time.perf_counter() - start) * 1000)
        server.close()
        return server if keep else times[1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--sizes", default="1,1000")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--instructions", action="store_true")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "-p", "poolc-cli"], cwd=REPO, check=True)
    if args.instructions:
        for pools in [int(s) for s in args.sizes.split(",")]:
            print(f"{pools} pools: {instructions(pools) / 1e6:.1f} million instructions per keystroke")
        return
    rows = []
    for pools in [int(s) for s in args.sizes.split(",")]:
        times = measure(pools, args.runs)
        rows.append((pools, len(times), statistics.median(times), min(times), max(times)))
    if args.markdown:
        print("| pools | runs | keystroke to diagnostics: median (min–max) |")
        print("|---:|---:|---:|")
        for pools, runs, median, low, high in rows:
            print(f"| {pools:,} | {runs} | {median:.1f} ms ({low:.1f}–{high:.1f}) |")
    else:
        for pools, runs, median, low, high in rows:
            print(f"{pools} pools: median {median:.1f} ms (min {low:.1f}, max {high:.1f}) over {runs} runs")


if __name__ == "__main__":
    main()
