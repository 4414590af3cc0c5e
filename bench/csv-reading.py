#!/usr/bin/env python3
"""Measure CSV reading: nnrun's reader against the Swift CSV libraries and NumPy, in one run.

    bench/csv-reading.py [--runs 5] [--rows 200000] [--nnrun .build-static/release/nnrun]
                         [--readers LIST|none] [--validate-rounds N]

1. Writes the data set if missing (specs/bench/data/csv-200000.csv, not committed): a
   header, then ROWS rows of 20 float64 columns (x1..x20, `repr` of standard normal draws
   from numpy.random.default_rng(16), so 17-20 characters each) and a class label column
   (one of setosa, versicolor, virginica). 200,000 rows make 78 MB.
2. Builds bench/csv-reading (release), whose `csv-readers` executable reads the file with
   each reader: SwiftCSV as nnrun used it before (`swiftcsv-as-before`), SwiftCSV used as
   well as its API allows, yaslab/CSV.swift, and nnrun's CSVFile (`datafiles`). Each reader
   runs in its own process, RUNS times over the bytes already in memory; the process's peak
   resident memory is reported with it.
3. Times numpy.loadtxt on the 20 number columns (it cannot read the label as a number),
   in this process, RUNS times.
4. With --nnrun, times `nnrun validate` of a spec that reads the file (whole processes:
   reading, parsing, validating) RUNS times, with each process's peak memory.

5. With --nnrun and --validate-rounds N: N alternated pairs of whole processes, `nnrun
   validate` of that spec and a Python process that runs numpy.loadtxt on the 20 number
   columns (which goes first swaps every pair): the median of each, the ratio of the
   medians, each one's peak resident memory (the largest over the rounds) against the
   file's size, and issue #21's targets (at most 0.5x loadtxt's time, at most 3x the file).

Prints the median of each and the ratios against the old reader and against NumPy.
--readers none skips the Swift readers (and their build).
"""
import argparse
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "csv-reading"
DATA = ROOT / "specs" / "bench" / "data"
LABELS = ["setosa", "versicolor", "virginica"]
READERS = ["swiftcsv-as-before", "swiftcsv", "csv.swift", "datafiles"]


def write_data(path, rows):
    rng = np.random.default_rng(16)
    values = rng.standard_normal((rows, 20))
    labels = rng.integers(0, 3, rows)
    with open(path, "w", newline="") as file:
        file.write(",".join([f"x{i + 1}" for i in range(20)] + ["label"]) + "\n")
        for row, label in zip(values, labels):
            file.write(",".join(repr(float(v)) for v in row) + "," + LABELS[label] + "\n")


def run_process(command):
    """Seconds and peak memory (MiB) of one process (its standard output discarded)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(command)} failed ({status})")
    return seconds, usage.ru_maxrss / 1024


def run_nnrun(binary, spec):
    """Seconds and peak memory (MiB) of one `nnrun validate SPEC` process."""
    return run_process([binary, "validate", "--quiet", spec])


def loadtxt_command(data):
    """A Python process that reads the 20 number columns with numpy.loadtxt (its import included)."""
    return [sys.executable, "-c", "import sys, numpy; numpy.loadtxt(sys.argv[1], delimiter=',', skiprows=1, "
            "usecols=range(20))", str(data)]


def validate_against_loadtxt(binary, spec, data, rounds):
    """`rounds` alternated pairs of `nnrun validate` and loadtxt processes; prints the medians,
    the ratio, the peaks against the file's size, and issue #21's targets."""
    nnrun_runs, numpy_runs = [], []
    for round in range(rounds):
        pair = [("nnrun", [binary, "validate", "--quiet", spec]), ("numpy", loadtxt_command(data))]
        for name, command in (pair if round % 2 == 0 else pair[::-1]):
            (nnrun_runs if name == "nnrun" else numpy_runs).append(run_process(command))
    size_mib = data.stat().st_size / 2 ** 20
    nnrun_median = statistics.median(seconds for seconds, _ in nnrun_runs)
    numpy_median = statistics.median(seconds for seconds, _ in numpy_runs)
    nnrun_peak = max(peak for _, peak in nnrun_runs)
    numpy_peak = max(peak for _, peak in numpy_runs)
    spread = lambda runs: f"{min(s for s, _ in runs):.3f} to {max(s for s, _ in runs):.3f} s"
    print(f"\nwhole processes, {rounds} alternated pairs:")
    print(f"  nnrun validate   {nnrun_median:.3f} s ({spread(nnrun_runs)}), peak {nnrun_peak:.0f} MiB = "
          f"{nnrun_peak / size_mib:.2f}x the file")
    print(f"  numpy.loadtxt    {numpy_median:.3f} s ({spread(numpy_runs)}), peak {numpy_peak:.0f} MiB = "
          f"{numpy_peak / size_mib:.2f}x the file (its Python process, NumPy's import included)")
    time_ratio = nnrun_median / numpy_median
    print(f"  {'met' if time_ratio <= 0.5 else 'not met':8} nnrun validate <= 0.5x loadtxt's time: {time_ratio:.2f}x")
    memory_ratio = nnrun_peak / size_mib
    print(f"  {'met' if memory_ratio <= 3 else 'not met':8} nnrun validate's peak memory <= 3x the file's size: "
          f"{memory_ratio:.2f}x ({nnrun_peak:.0f} MiB, file {size_mib:.0f} MiB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--nnrun", help="a release nnrun binary to time end to end")
    parser.add_argument("--readers", default=",".join(READERS), help="Swift readers to time, or none")
    parser.add_argument("--validate-rounds", type=int, default=0, metavar="N",
                        help="with --nnrun: N alternated pairs of nnrun validate and loadtxt processes")
    arguments = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    data = DATA / f"csv-{arguments.rows}.csv"
    if not data.exists():
        write_data(data, arguments.rows)
    print(f"{data.relative_to(ROOT)}: {data.stat().st_size / 1e6:.1f} MB, {arguments.rows} rows, {arguments.runs} runs each")

    readers = [] if arguments.readers == "none" else arguments.readers.split(",")
    if readers:
        subprocess.run(["swift", "build", "-c", "release", "--package-path", str(BENCH)], check=True,
                       stdout=subprocess.DEVNULL)
        binary = subprocess.run(["swift", "build", "-c", "release", "--package-path", str(BENCH), "--show-bin-path"],
                                check=True, capture_output=True, text=True).stdout.strip() + "/csv-readers"

    results = {}
    for reader in readers:
        output = subprocess.run([binary, reader, str(data), str(arguments.runs)], check=True, capture_output=True,
                                text=True).stdout
        results[reader] = json.loads(output)

    numpy_seconds = []
    for _ in range(arguments.runs):
        start = time.perf_counter()
        np.loadtxt(data, delimiter=",", skiprows=1, usecols=range(20))
        numpy_seconds.append(time.perf_counter() - start)
    numpy_median = statistics.median(numpy_seconds)
    numpy_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    old = statistics.median(results["swiftcsv-as-before"]["seconds"]) if "swiftcsv-as-before" in results else None
    print(f"{'reader':<22}{'median s':>10}{'vs before':>11}{'vs NumPy':>10}{'peak MiB':>10}  checksum")
    for reader, result in results.items():
        median = statistics.median(result["seconds"])
        before = f"{median / old:.3f}x" if old else "-"
        print(f"{reader:<22}{median:>10.3f}{before:>11}{median / numpy_median:>9.2f}x{result['peak_mib']:>10.0f}  "
              f"{result['checksum']:.6f} ({result['rows']} rows)")
    print(f"{'numpy.loadtxt':<22}{numpy_median:>10.3f}{'-':>11}{1:>9.2f}x{numpy_peak:>10.0f}  (this Python process)")

    if arguments.nnrun:
        with tempfile.TemporaryDirectory() as folder:
            spec = pathlib.Path(folder) / "csv.yaml"
            spec.write_text(f"""nnrun: 1
name: csv-reading
seed: 1
model:
  inputs: 20
  layers:
    - {{name: out, units: 3, activation: softmax, weights: {{init: xavier_uniform}}, bias: 0}}
data:
  csv: {data}
  inputs: [{", ".join(f"x{i + 1}" for i in range(20))}]
  one_hot: {{column: label, classes: [{", ".join(LABELS)}]}}
training: {{loss: cross_entropy, learning_rate: 0.1, steps: 1}}
""")
            runs = [run_nnrun(arguments.nnrun, str(spec)) for _ in range(arguments.runs)]
            median = statistics.median(seconds for seconds, _ in runs)
            print(f"{'nnrun validate':<22}{median:>10.3f}{'-':>11}{median / numpy_median:>9.2f}x"
                  f"{max(peak for _, peak in runs):>10.0f}  (whole processes)")
            if arguments.validate_rounds > 0:
                validate_against_loadtxt(arguments.nnrun, str(spec), data, arguments.validate_rounds)


if __name__ == "__main__":
    main()
