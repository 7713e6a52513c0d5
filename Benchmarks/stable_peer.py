#!/usr/bin/env python3
"""A plain resident-proposing deferred acceptance in Python: the peer `peermatch solve
RESIDENTS --programs PROGRAMS` is timed beside (with the C++ one, stable_peer.cpp), reading the
same uOttawa CSI2120 files and writing `resident_id,program_id` in the residents' order.

    python3 Benchmarks/stable_peer.py residents.csv programs.csv out.csv
"""
import csv
import heapq
import sys


def lists(cell: str) -> list[str]:
    return [x.strip() for x in cell.strip().strip("[]").split(",") if x.strip()]


def main() -> None:
    residents_path, programs_path, out_path = sys.argv[1:4]
    csv.field_size_limit(1 << 30)
    with open(residents_path, newline="") as f:
        residents = list(csv.DictReader(f))
    with open(programs_path, newline="") as f:
        programs = list(csv.DictReader(f))
    rank = {p["id"]: {r: k for k, r in enumerate(lists(p["rol"]))} for p in programs}
    capacity = {p["id"]: int(p["numberOfPos"]) for p in programs}
    prefs = {r["id"]: [p for p in lists(r["rol"]) if p in rank and r["id"] in rank[p]] for r in residents}
    held: dict[str, list[tuple[int, str]]] = {p: [] for p in rank}   # max-heap by rank: (-rank, resident)
    nxt = {r: 0 for r in prefs}
    match: dict[str, str] = {}
    free = [r["id"] for r in reversed(residents)]
    while free:
        r = free.pop()
        while nxt[r] < len(prefs[r]):
            p = prefs[r][nxt[r]]
            nxt[r] += 1
            k = rank[p][r]
            if len(held[p]) < capacity[p]:
                heapq.heappush(held[p], (-k, r)); match[r] = p
                break
            if capacity[p] > 0 and k < -held[p][0][0]:
                _, out = heapq.heapreplace(held[p], (-k, r))
                match[r] = p; del match[out]; free.append(out)
                break
    with open(out_path, "w") as f:
        f.write("resident_id,program_id\n")
        for r in residents:
            f.write(f"{r['id']},{match.get(r['id'], '')}\n")


if __name__ == "__main__":
    main()
