"""``make bench``: server time and query counts of the heavy pages on national-scale data.

Run with ``python -m bench`` (see ``bench/__main__.py`` and BENCHMARKS.md). One process,
the Django test client against the configured database, measurements interleaved
round-robin; prints one JSON object.
"""
