"""`make bench`: the benchmark runner (bench/run.py) and its parts."""
