"""The in-process timing loop of bench/compare and its peers (bench/peer_torch.py, bench/peer_jax.py).

Imported by name: bench/compare runs with its own folder, bench/, on sys.path, and imports
the peers from there.
"""
import statistics
import time


def median_seconds(run, runs, warmup=1, prepare=None):
    """Call `run` `warmup` times untimed, then `runs` times timed; return the median of the
    timed calls' seconds and what the last call returned.

    Timed (time.perf_counter, from just before to just after each call): `run()`, or
    `run(prepare())` when `prepare` is given, and nothing else. Not timed: the warm-up calls
    (made the same way, their seconds dropped: they are where first-call costs such as JIT
    compilation or caches filling are paid), `prepare()` (called before every call, warm-up
    ones included, e.g. to make a fresh copy of the weights), and whatever the caller does
    before calling this or with the value it returns (preparing the data, building or
    compiling the function, converting the result).
    """
    seconds = []
    value = None
    for index in range(warmup + runs):
        arguments = () if prepare is None else (prepare(),)
        start = time.perf_counter()
        value = run(*arguments)
        if index >= warmup:
            seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), value
