#!/usr/bin/env python3
"""Runs many compiled nnrun scripts in one Python process, so torch is imported once.

    run_scripts.py JOBS.json       JOBS: [[script, output], ...]; each script is run as
                                   `python3 script -o output` would run it (its __main__)

Prints `RESULT <script> <exit status> <seconds>` per script (only process 0 under torchrun,
where every process runs every script: each script splits its batches over the processes).
Exit status 2 when torch or numpy cannot be imported.
"""
import json
import os
import runpy
import sys
import time

try:
    import numpy  # noqa: F401
    import torch
except ImportError as error:
    print("missing: %s" % error)
    sys.exit(2)

# The machine is shared: one thread per process keeps the runs from competing with themselves.
torch.set_num_threads(1)
first = os.environ.get("RANK", "0") == "0"
for script, output in json.load(open(sys.argv[1], encoding="utf-8")):
    sys.argv = [script, "-o", output]
    started = time.time()
    try:
        runpy.run_path(script, run_name="__main__")
        status = 0
    except SystemExit as exit:
        status = exit.code if isinstance(exit.code, int) else 1
        if not isinstance(exit.code, int) and first:
            print(exit.code)
    except Exception as error:  # reported as a failure of this script, the others still run
        status = "exception:%s" % type(error).__name__
        if first:
            print("%s: %r" % (script, error))
    if first:
        print("RESULT %s %s %.3f" % (script, status, time.time() - started), flush=True)
