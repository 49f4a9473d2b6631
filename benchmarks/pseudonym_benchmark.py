"""Pseudonym benchmark (decision 0054): what pseudonymising costs a network answer, and
what resolving a token by scanning the visible entities costs.

    .venv/bin/python benchmarks/pseudonym_benchmark.py [--nodes 5000] [--entities 100000]
        [--rounds 5]

1. The generated network of `--nodes` nodes (`analytics.networks.synthetic`, as the
   network benchmark): `Network.to_json()` as it is (baseline) against
   `pseudonyms.network(...)` + `to_json()` (what `scope.shown_network` adds for a user who
   sees every node as a pseudonym). Ratio pseudonymised / baseline.
2. `pseudonyms.resolve` scans the user's visible entity ids with one HMAC each; here the
   HMAC loop over `--entities` ids (no database) against one dictionary lookup in an index
   built from the same tokens (what an index table would give), and the index's build time.
No database; Django settings only for the key.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knooppunt.settings")
os.environ.setdefault("KNOOPPUNT_TESTING", "1")


def _timed(function, rounds: int) -> list[float]:
    function()  # warm-up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def _p(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(times) * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from knooppunt.analytics.networks.synthetic import generated_network
    from knooppunt.entities import pseudonyms

    network = generated_network(args.nodes)
    base = _timed(network.to_json, args.rounds)
    pseudo = _timed(lambda: pseudonyms.network(1, network).to_json(), args.rounds)
    print(f"network of {len(network.nodes)} nodes, {len(network.edges)} links")
    print(f"  baseline to_json           {_p(base)}")
    print(f"  pseudonymised + to_json    {_p(pseudo)}")
    print(f"  ratio (p50)                {statistics.median(pseudo) / statistics.median(base):.2f}")

    ids = [f"knp-subject-{i}" for i in range(args.entities)]
    key = pseudonyms._key(1)
    wanted = pseudonyms.token(1, ids[-1])

    def scan() -> str | None:
        for entity_id in ids:
            if pseudonyms._token_with(key, entity_id) == wanted:
                return entity_id
        return None

    start = time.perf_counter()
    index = {pseudonyms.token(1, i): i for i in ids}
    built = time.perf_counter() - start
    scanned = _timed(scan, args.rounds)
    looked = _timed(lambda: index[wanted], args.rounds)
    print(f"resolve among {len(ids):,} visible entity ids (worst case: the last)")
    print(f"  scan (what resolve does)   {_p(scanned)}")
    print(f"  index lookup               {_p(looked)}  (index built in {built:.2f} s)")


if __name__ == "__main__":
    main()
