#!/usr/bin/env python3
"""Benchmarks connector-gen against the reference Python pipeline and the read-parse-write
floor on synthetic catalogues, and prints the Performance table of docs/performance.md.

    python3 bench/run.py [--sizes 1,100,1000,10000] [--runs 5] [--python-runs 3] [--slow-runs 1]
                         [--import-mb 1,5,20]

With --import-mb (and --sizes "" to skip the catalogue), `import openapi` is timed on
synthetic OpenAPI 3.0 documents of about those sizes (`synthetic_openapi`).

Per catalogue size N (connectors made by the hidden `connector-gen synth`, seed 1):
- connector-gen `generate` into an empty directory, `generate` again on the unchanged tree,
  `generate --check` on the unchanged tree, and `generate -j1` (one thread);
- the floor (bench/floor.rs): read and parse every definition, write the same number of
  bytes to the same number of files, on one thread;
- the reference pipeline (bench/reference/pipeline.py: PyYAML + jsonschema + Jinja2, with
  the versions in bench/reference/requirements.txt), with libyaml's C loader and with the
  default pure-Python `yaml.safe_load` loader. Its output is checked byte for byte against
  connector-gen's after each size's runs.

connector-gen and the floor are timed in rounds (each round runs every command once), so
that all see the same machine. Every figure is the median wall time of whole processes (`--runs` runs; `--python-runs` for
Python, and `--slow-runs` for Python above 1,000 connectors, which takes minutes a run) and the largest peak RSS, from
/usr/bin/time. Output directories are emptied and the file system synced before each run
that writes, so that one run's deletions do not slow the next one's file creation.
`connector-gen --version` is timed too: the start-up cost that one-connector runs pay.
"""

import argparse
import filecmp
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "connector-gen")
FLOOR = os.path.join(ROOT, "target", "release", "examples", "floor")
REFERENCE = os.path.join(ROOT, "bench", "reference")


def run_once(command, fresh=None, ok=(0,)):
    """Wall seconds and peak RSS (MiB) of one run; `fresh` is emptied and synced first; an
    exit code outside `ok` stops the benchmark."""
    if fresh:
        shutil.rmtree(fresh, ignore_errors=True)
        subprocess.run(["sync"], check=True)
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - started
    if result.returncode not in ok:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
    return wall, int(result.stderr.strip().splitlines()[-1]) / 1024


def measure(command, runs, fresh=None):
    """Median wall seconds and largest peak RSS (MiB) over `runs` runs."""
    samples = [run_once(command, fresh) for _ in range(runs)]
    return statistics.median(w for w, _ in samples), max(p for _, p in samples)


def python_environment(work):
    """A virtualenv with the reference pipeline's pinned packages; returns its python."""
    venv = os.path.join(work, "venv")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    python = os.path.join(venv, "bin", "python")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "-r", os.path.join(REFERENCE, "requirements.txt")],
        check=True,
    )
    versions = subprocess.run(
        [python, "-c", "import sys, yaml, jsonschema, jinja2; from importlib.metadata import version as v; "
         "print(f'Python {sys.version.split()[0]}, PyYAML {yaml.__version__} (libyaml {yaml.__with_libyaml__}), "
         "jsonschema {v(\"jsonschema\")}, Jinja2 {jinja2.__version__}')"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    return python, versions


def tree_size(directory):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(directory) for f in fs)


def same_trees(a, b):
    """Whether two directory trees hold the same files with the same bytes."""
    comparison = filecmp.dircmp(a, b)
    pending = [comparison]
    while pending:
        c = pending.pop()
        if c.left_only or c.right_only or c.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        if mismatch or errors:
            return False
        pending.extend(c.subdirs.values())
    return True


def synthetic_openapi(resources):
    """A deterministic OpenAPI 3.0 document: `resources` objects, each with list (paged),
    get, create, update and delete operations and a schema of a dozen properties (allOf a
    shared base, an enum, dates, a nested object, a list of a shared shape)."""
    paths, schemas = {}, {
        "Base": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string", "readOnly": True, "description": "The record's id."},
            "created_at": {"type": "string", "format": "date-time", "readOnly": True, "description": "When the record was created."}}},
        "Tag": {"type": "object", "properties": {"name": {"type": "string", "description": "The tag's name."},
                                                  "color": {"type": "string", "enum": ["red", "green", "blue"], "description": "The tag's colour."}}},
    }
    for i in range(resources):
        name = f"Widget{i}"
        props = {f"field_{k}": {"type": "string", "description": f"Field {k} of a widget {i}, as the API documents it at some length."} for k in range(6)}
        props.update({
            "status": {"type": "string", "enum": ["active", "archived", "draft"], "description": "The status."},
            "count": {"type": "integer", "description": "How many."},
            "price": {"type": "number", "format": "double", "description": "The price."},
            "due": {"type": "string", "format": "date", "description": "The due date."},
            "address": {"type": "object", "description": "Where.", "properties": {"city": {"type": "string", "description": "The city."}, "zip": {"type": "string", "description": "The postcode."}}},
            "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}, "description": "The tags."},
        })
        schemas[name] = {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "required": ["field_0"], "properties": props}], "description": f"A widget of kind {i}."}
        ref = {"$ref": f"#/components/schemas/{name}"}
        one = {"content": {"application/json": {"schema": ref}}, "description": "One."}
        paths[f"/widgets{i}"] = {
            "get": {"operationId": f"listWidgets{i}", "tags": [f"Widgets {i}"], "summary": f"Lists widgets of kind {i}.",
                    "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}, {"name": "per_page", "in": "query", "schema": {"type": "integer", "maximum": 200}}],
                    "responses": {"200": {"description": "A page.", "content": {"application/json": {"schema": {"type": "object", "properties": {
                        "data": {"type": "array", "items": ref}, "total": {"type": "integer"}}}}}}}},
            "post": {"operationId": f"createWidget{i}", "tags": [f"Widgets {i}"], "summary": f"Creates a widget of kind {i}.",
                     "requestBody": {"content": {"application/json": {"schema": ref}}}, "responses": {"201": one}},
        }
        paths[f"/widgets{i}/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}, "description": "The widget's id."}],
            "get": {"operationId": f"getWidget{i}", "tags": [f"Widgets {i}"], "summary": "Gets a widget.", "responses": {"200": one}},
            "put": {"operationId": f"updateWidget{i}", "tags": [f"Widgets {i}"], "summary": "Updates a widget.",
                    "requestBody": {"content": {"application/json": {"schema": ref}}}, "responses": {"200": one}},
            "delete": {"operationId": f"deleteWidget{i}", "tags": [f"Widgets {i}"], "summary": "Deletes a widget.", "responses": {"204": {"description": "Gone."}}},
        }
    return {"openapi": "3.0.3", "info": {"title": "Synthetic Widgets", "version": "1.0", "description": "A synthetic API for the benchmark."},
            "servers": [{"url": "https://{tenant}.widgets.example/api", "variables": {"tenant": {"default": "demo"}}}],
            "components": {"schemas": schemas, "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}},
            "security": [{"key": []}], "paths": paths}


def bench_import(sizes_mb, runs, scratch):
    """Times `import openapi` on synthetic documents of about the given sizes (MB of JSON)."""
    per_resource = len(json.dumps(synthetic_openapi(10), indent=2)) / 10
    rows = []
    for mb in sizes_mb:
        resources = max(1, int(mb * 1e6 / per_resource))
        document = os.path.join(scratch, f"openapi-{mb}mb.json")
        with open(document, "w") as f:
            json.dump(synthetic_openapi(resources), f, indent=2)
        # The whole document: every operation mapped, written and (under 1 MiB) validated;
        # above 1 MiB of definition the import is refused (exit 1) after the writing.
        whole = [BINARY, "import", "openapi", document, "--id", "widgets"]
        # One tag in ten: the whole document read, a tenth mapped, validated and written.
        tagged = whole + [arg for i in range(0, resources, 10) for arg in ("--tag", f"Widgets {i}")]
        size = os.path.getsize(document) / 1e6
        for label, command in (("whole", whole), ("tenth", tagged)):
            samples = [run_once(command, ok=(0, 1)) for _ in range(runs)]
            walls = sorted(w for w, _ in samples)
            done = subprocess.run(command, capture_output=True, text=True)
            row = {"document_mb": size, "what": label, "operations": resources * 5 if label == "whole" else len(range(0, resources, 10)) * 5,
                   "median_s": statistics.median(walls), "min_s": walls[0], "max_s": walls[-1], "peak_mib": max(p for _, p in samples),
                   "definition_mb": len(done.stdout.encode()) / 1e6, "exit": done.returncode}
            rows.append(row)
            print(f"import {mb} MB {label}: {json.dumps(row)}", file=sys.stderr)
    print("| document | operations imported | definition | exit | median | min | max | peak RSS | document MB/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['document_mb']:.1f} MB | {r['operations']:,} | {r['definition_mb']:.2f} MB | {r['exit']} | {r['median_s']:.3f} s | {r['min_s']:.3f} s | "
              f"{r['max_s']:.3f} s | {r['peak_mib']:.0f} MiB | {r['document_mb'] / r['median_s']:.1f} |")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python-runs", type=int, default=3, help="runs of Python up to 1,000 connectors")
    parser.add_argument("--slow-runs", type=int, default=1, help="runs of Python above 1,000 connectors")
    parser.add_argument("--safe-load-max", type=int, default=1000, help="largest N to time yaml.safe_load at")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--import-mb", default="", help="also time `import openapi` on synthetic OpenAPI documents of these sizes (MB), e.g. 1,5,20")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "connector-gen", "--example", "floor"], cwd=ROOT, check=True)
    scratch = tempfile.mkdtemp(prefix="connector-gen-bench-")
    python, versions = python_environment(scratch)
    machine = f"{os.cpu_count()} CPUs, {subprocess.run(['uname', '-sr'], capture_output=True, text=True).stdout.strip()}"
    print(f"# {machine}; {versions}; median of {args.runs} runs ({args.python_runs} for Python, {args.slow_runs} above 1,000 connectors)\n")
    startup, _ = measure([BINARY, "--version"], max(args.runs, 11))
    print(f"connector-gen --version: {startup * 1000:.1f} ms\n")

    rows = []
    if args.import_mb:
        bench_import([float(s) for s in args.import_mb.split(",")], args.runs, scratch)
        print()
    try:
        for n in (int(s) for s in args.sizes.split(",") if s):
            work = os.path.join(scratch, str(n))
            definitions, models = os.path.join(work, "connectors"), os.path.join(work, "models")
            out, floor_out, python_out = (os.path.join(work, d) for d in ("out", "floor", "python"))
            subprocess.run([BINARY, "synth", "--count", str(n), "--out", definitions], check=True, stdout=subprocess.DEVNULL)
            subprocess.run([BINARY, "model", definitions, "--out", models], check=True)
            generate = [BINARY, "generate", definitions, "--out", out]
            subprocess.run(generate, check=True, stdout=subprocess.DEVNULL)
            manifest = os.path.join(work, "manifest.tsv")
            with open(manifest, "w") as f:
                for d, _, files in sorted(os.walk(out)):
                    for name in sorted(files):
                        path = os.path.join(d, name)
                        f.write(f"{os.path.getsize(path)}\t{os.path.relpath(path, out)}\n")
            reference = os.path.join(work, "reference")
            shutil.copytree(out, reference)

            row = {"n": n, "yaml_mb": tree_size(definitions) / 1e6, "output_mb": tree_size(out) / 1e6, "files": sum(1 for _ in open(manifest))}
            # Rounds, each running every command once, so that all of them see the same
            # machine (the disk's write-back in particular varies from minute to minute).
            rounds = [
                ("generate", generate, out),  # into an emptied directory
                ("unchanged", generate, None),  # over the tree `generate` just wrote
                ("check", generate + ["--check"], None),
                ("serial", [BINARY, "generate", "-j1", definitions, "--out", out], out),
                ("floor", [FLOOR, definitions, manifest, floor_out], floor_out),
            ]
            samples = {name: [] for name, _, _ in rounds}
            for _ in range(args.runs):
                for name, command, fresh in rounds:
                    samples[name].append(run_once(command, fresh))
            for name, runs in samples.items():
                row[name] = statistics.median(w for w, _ in runs)
            row["peak_mib"] = max(p for name in ("generate", "unchanged", "check") for _, p in samples[name])
            python_runs = args.python_runs if n <= 1000 else args.slow_runs
            pipeline = [python, os.path.join(REFERENCE, "pipeline.py"), definitions, models, python_out]
            row["python_c"], row["python_peak_mib"] = measure(pipeline, python_runs, fresh=python_out)
            if not same_trees(reference, python_out):
                sys.exit(f"the reference pipeline's output differs from connector-gen's at N={n}")
            if n <= args.safe_load_max:
                row["python_safe_load"], _ = measure(pipeline + ["--loader", "python"], python_runs, fresh=python_out)
            rows.append(row)
            print(f"N={n}: {json.dumps(row)}", file=sys.stderr)
            shutil.rmtree(work)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    if not rows:
        return
    print("| connectors | YAML | output | generate | unchanged | `--check` | one thread | peak RSS | floor | Python (libyaml) | Python (`safe_load`) | vs libyaml | vs `safe_load` | vs floor |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        safe = r.get("python_safe_load")
        safe_time = f"{safe:.2f} s" if safe else "-"
        safe_ratio = f"{safe / r['generate']:.1f}x" if safe else "-"
        print(
            f"| {r['n']:,} | {r['yaml_mb']:.1f} MB | {r['output_mb']:.1f} MB | {r['generate']:.3f} s | {r['unchanged']:.3f} s | "
            f"{r['check']:.3f} s | {r['serial']:.3f} s | {r['peak_mib']:.0f} MiB | {r['floor']:.3f} s | {r['python_c']:.2f} s | "
            f"{safe_time} | {r['python_c'] / r['generate']:.1f}x | {safe_ratio} | {r['generate'] / r['floor']:.2f}x |"
        )
    by_n = {r["n"]: r for r in rows}
    if 1000 in by_n and 10000 in by_n:
        growth = {k: by_n[10000][k] / by_n[1000][k] for k in ("generate", "unchanged", "check", "floor", "python_c")}
        print("\nGrowth from 1,000 to 10,000 connectors: " + ", ".join(f"{k} {v:.1f}x" for k, v in growth.items()))
    if 1 in by_n:
        one = by_n[1]
        print(f"\nOne connector: generate {one['generate'] * 1000:.1f} ms; start-up {startup * 1000:.1f} ms + floor {one['floor'] * 1000:.1f} ms = "
              f"{(startup + one['floor']) * 1000:.1f} ms; ratio {one['generate'] / (startup + one['floor']):.2f}x")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine, "versions": versions, "startup_s": startup, "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
