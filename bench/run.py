"""`make bench`: run every benchmark in bench/ (each module's main()); `bench/run.py search --sizes 1000`.

``cluster`` (two app servers behind nginx) runs only when named: ``bench/run.py cluster``."""

from __future__ import annotations

import importlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BENCHMARKS = {
    "search": "bench.search_bench",
    "load": "bench.load_bench",
    "burst": "bench.burst_bench",
    "cluster": "bench.cluster_bench",
}
ONLY_WHEN_NAMED = {"cluster"}


def main(argv: list[str]) -> None:
    names = [argv[0]] if argv and argv[0] in BENCHMARKS else [n for n in BENCHMARKS if n not in ONLY_WHEN_NAMED]
    rest = argv[1:] if argv and argv[0] in BENCHMARKS else argv
    for name in names:
        importlib.import_module(BENCHMARKS[name]).main(rest)


if __name__ == "__main__":
    main(sys.argv[1:])
