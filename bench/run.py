#!/usr/bin/env python3
"""Benchmarks connector-gen on synthetic catalogues: whole-process wall time (median of
several runs) and peak memory of `generate` and of `generate --check` on an unchanged tree,
per catalogue size.

    python3 bench/run.py [--sizes 1,100,1000] [--runs 5]

Builds the release binary first. Uses /usr/bin/time for peak memory. The reference Python
pipeline and the read-parse-write floor that issue 6 asks for are not here yet.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "connector-gen")


def measure(command, runs):
    """Median wall seconds and the largest peak RSS (MiB) over `runs` runs of `command`."""
    walls, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        walls.append(time.perf_counter() - started)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
        peaks.append(int(result.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(walls), max(peaks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    print(f"{'connectors':>10}  {'YAML MB':>8}  {'output MB':>9}  {'generate s':>10}  {'check s':>8}  {'peak MiB':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        work = tempfile.mkdtemp(prefix=f"connector-gen-bench-{size}-")
        try:
            definitions = os.path.join(work, "connectors")
            out = os.path.join(work, "out")
            subprocess.run([BINARY, "synth", "--count", str(size), "--out", definitions], check=True, stdout=subprocess.DEVNULL)
            generate = [BINARY, "generate", definitions, "--out", out]
            subprocess.run(generate, check=True, stdout=subprocess.DEVNULL)
            yaml_mb = sum(os.path.getsize(os.path.join(definitions, f)) for f in os.listdir(definitions)) / 1e6
            out_mb = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs) / 1e6
            generate_s, generate_peak = measure(generate, args.runs)
            check_s, check_peak = measure(generate + ["--check"], args.runs)
            peak = max(generate_peak, check_peak)
            print(f"{size:>10}  {yaml_mb:>8.2f}  {out_mb:>9.2f}  {generate_s:>10.3f}  {check_s:>8.3f}  {peak:>8.1f}")
        finally:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
