"""``python -m bench [--repetitioner N]``: print the benchmark as one JSON object.

Expects national-scale demo data in the configured database (``make bench`` seeds it).
Progress goes to stderr, the JSON to stdout.
"""

import argparse
import json
import os
import sys


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--repetitioner", type=int, default=15)
    parser.add_argument(
        "--utan-storlekar",
        action="store_true",
        help="Hoppa över jämförelsen av antal frågor vid 10 och alla vårdcentraler.",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from bench.harness import bench_run

    resultat = bench_run(
        repetitioner=args.repetitioner,
        storlekar=not args.utan_storlekar,
        logg=lambda s: print(f"bench: {s}", file=sys.stderr, flush=True),
    )
    json.dump(resultat, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
