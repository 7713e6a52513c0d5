#!/usr/bin/env python3
"""`peermatch import` beside pandas and openpyxl reading the same spreadsheets, in one run.

    swift build -c release --product peermatch
    python3 Benchmarks/import_peer.py                       # 8,000 mentors and 20,000 mentees
    python3 Benchmarks/import_peer.py --mentees 2000 --mentors 800 --repeat 3

The first run makes a throwaway virtualenv (.venv-import, git-ignored) with pandas and openpyxl;
neither is a dependency of PeerMatch.

The intake: `peermatch generate --setting secondary` (interests, offers, needs, requirements,
qualifications, groups, gender preferences, partner preferences and never-pair exclusions), written
as the two spreadsheets and the exclusions list a school would export: CSV (UTF-8, lists joined
with "; ") and one .xlsx workbook per side written by openpyxl (shared strings, numbers as numbers).

What is timed (process CPU seconds, best of --repeat; wall seconds beside; the machine is shared,
so only the ratios mean much: quote `uptime` with them):
* PeerMatch: the whole `peermatch import MENTORS MENTEES --exclusions F --out cohort.json`
  process: decode, split, map columns, check every row and cell (near misses included), write.
* The peer: a Python process that reads the same files (pandas.read_csv with its C parser, or
  openpyxl in read-only mode, the reader pandas.read_excel uses), splits the list cells, converts
  the numbers, checks the ids are unique and the exclusions name known people, and writes the same
  cohort JSON. It checks far less than PeerMatch (no located errors, no near misses): it is the
  floor a hand-written script gets, not an equal.
Every run's cohort is compared with the generated one, person by person, so a fast wrong import
cannot pass.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from speed_peers import ensure_venv, run_child, table  # noqa: E402  (one virtualenv, process timer and table for every bench)

VENV = ROOT / ".venv-import"
PEERS = ["pandas", "openpyxl"]
LISTS = ["interests", "offers", "qualifications", "needs", "requires", "preferences"]
MENTOR_COLUMNS = ["id", "name", "age", "gender", "genderPreference", "interests", "offers", "qualifications", "group", "capacity", "preferences"]
MENTEE_COLUMNS = ["id", "name", "age", "gender", "genderPreference", "interests", "needs", "requires", "qualifications", "group", "priority", "preferences"]


def cell(person: dict, column: str) -> str:
    value = person.get(column)
    if value is None:
        return ""
    if column == "genderPreference" and isinstance(value, list):
        return "; ".join(value)
    if column in LISTS:
        # A preference entry may be a list of equally wanted ids; a spreadsheet has one id per entry.
        return "; ".join(v if isinstance(v, str) else v[0] for v in value)
    return str(value)


def write_intake(cohort: dict, folder: Path) -> dict[str, Path]:
    """The generated cohort as the files a school exports: two CSVs, two workbooks, exclusions."""
    import openpyxl
    files = {}
    for side, columns in (("mentors", MENTOR_COLUMNS), ("mentees", MENTEE_COLUMNS)):
        rows = [[cell(p, c) for c in columns] for p in cohort[side]]
        files[f"{side}.csv"] = folder / f"{side}.csv"
        with open(files[f"{side}.csv"], "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(columns)
            w.writerows(rows)
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(side.capitalize())
        sheet.append(columns)
        numeric = {c for c in ("age", "capacity", "priority") if c in columns}
        for person, row in zip(cohort[side], rows):
            sheet.append([person[c] if c in numeric and c in person else (v or None) for c, v in zip(columns, row)])
        files[f"{side}.xlsx"] = folder / f"{side}.xlsx"
        book.save(files[f"{side}.xlsx"])
    files["exclusions.csv"] = folder / "exclusions.csv"
    with open(files["exclusions.csv"], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["a", "b", "reason"])
        w.writerows([[x["a"], x["b"], x.get("reason", "")] for x in cohort.get("exclusions", [])])
    return files


PEER_SCRIPT = r'''
import csv, json, sys
kind, mentors_path, mentees_path, exclusions_path, out_path = sys.argv[1:]
LISTS = {"interests", "offers", "qualifications", "needs", "requires", "preferences", "genderPreference"}
NUMBERS = {"age": float, "capacity": int, "priority": int}

def records(path, sheet):
    if kind == "csv":
        import pandas
        frame = pandas.read_csv(path, dtype=str, keep_default_na=False)
        return frame.to_dict("records")
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = book[sheet].iter_rows(values_only=True)
    header = next(rows)
    return [{h: ("" if v is None else v) for h, v in zip(header, row)} for row in rows]

def person(record):
    out = {}
    for key, value in record.items():
        if value == "":
            continue
        if key in LISTS:
            items = [v.strip() for v in str(value).split(";") if v.strip()]
            out[key] = items if key != "genderPreference" or len(items) > 1 else items[0]
        elif key in NUMBERS:
            number = NUMBERS[key](value)
            out[key] = int(number) if isinstance(number, float) and number.is_integer() else number
        else:
            out[key] = str(value)
    return out

cohort = {"mentors": [person(r) for r in records(mentors_path, "Mentors")],
          "mentees": [person(r) for r in records(mentees_path, "Mentees")]}
ids = [p["id"] for p in cohort["mentors"] + cohort["mentees"]]
if len(set(ids)) != len(ids):
    sys.exit("duplicate ids")
known = set(ids)
with open(exclusions_path, newline="", encoding="utf-8") as f:
    cohort["exclusions"] = [dict(r) for r in csv.DictReader(f)]
for x in cohort["exclusions"]:
    if x["a"] not in known or x["b"] not in known:
        sys.exit(f"unknown person in exclusion {x}")
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(cohort, f)
'''


def same_people(expected: dict, got_path: Path, label: str) -> None:
    """Every person arrives with the same id, age, gender, lists and numbers as generated."""
    got = json.loads(got_path.read_text())
    for side, columns in (("mentors", MENTOR_COLUMNS), ("mentees", MENTEE_COLUMNS)):
        if len(got[side]) != len(expected[side]):
            raise SystemExit(f"{label}: {len(got[side])} {side}, expected {len(expected[side])}")
        for want, have in zip(expected[side], got[side]):
            for c in columns:
                if cell(want, c) != cell(have, c) and not (c == "age" and float(cell(want, c) or 0) == float(cell(have, c) or 0)):
                    raise SystemExit(f"{label}: {side} {want['id']}.{c}: {cell(have, c)!r}, expected {cell(want, c)!r}")
    if len(got.get("exclusions", [])) != len(expected.get("exclusions", [])):
        raise SystemExit(f"{label}: {len(got.get('exclusions', []))} exclusions, expected {len(expected.get('exclusions', []))}")


def best(runs: list[tuple[int, float, float, float, str]], label: str) -> tuple[float, float, float]:
    for code, _, _, _, err in runs:
        if code != 0:
            raise SystemExit(f"{label}: exit {code}: {err.strip()[-2000:]}")
    fastest = min(runs, key=lambda r: r[2])
    return fastest[1], fastest[2], max(r[3] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentees", type=int, default=20000)
    parser.add_argument("--mentors", type=int, default=8000)
    parser.add_argument("--seed", default="1")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peermatch", default=str(ROOT / ".build" / "release" / "peermatch"))
    args = parser.parse_args()
    ensure_venv(VENV, PEERS, __file__)
    peermatch = Path(args.peermatch)
    if not peermatch.exists():
        raise SystemExit(f"{peermatch}: not built; run `swift build -c release --product peermatch` first")
    print(f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)\n")
    rows = []
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        folder = Path(tmp)
        generated = folder / "generated.json"
        subprocess.run([str(peermatch), "generate", "--setting", "secondary", "--mentees", str(args.mentees),
                        "--mentors", str(args.mentors), "--seed", args.seed, "--out", str(generated)], check=True)
        cohort = json.loads(generated.read_text())
        files = write_intake(cohort, folder)
        peer = folder / "peer.py"
        peer.write_text(PEER_SCRIPT)
        for kind in ("csv", "xlsx"):
            mentors, mentees, exclusions = files[f"mentors.{kind}"], files[f"mentees.{kind}"], files["exclusions.csv"]
            size = (mentors.stat().st_size + mentees.stat().st_size) / 1e6
            ours_out, peer_out = folder / f"ours-{kind}.json", folder / f"peer-{kind}.json"
            ours = best([run_child([str(peermatch), "import", str(mentors), str(mentees), "--exclusions", str(exclusions),
                                    "--out", str(ours_out)]) for _ in range(args.repeat)], f"peermatch import ({kind})")
            same_people(cohort, ours_out, f"peermatch import ({kind})")
            theirs = best([run_child([sys.executable, str(peer), kind, str(mentors), str(mentees), str(exclusions), str(peer_out)])
                           for _ in range(args.repeat)], f"Python peer ({kind})")
            same_people(cohort, peer_out, f"Python peer ({kind})")
            peer_name = "pandas.read_csv" if kind == "csv" else "openpyxl (read-only)"
            rows.append([kind, f"{size:.2f}", f"{ours[1]:.2f}", f"{ours[0]:.2f}", f"{ours[2]:.0f}", f"{size / ours[1]:.1f}",
                         peer_name, f"{theirs[1]:.2f}", f"{theirs[0]:.2f}", f"{theirs[2]:.0f}", f"{ours[1] / theirs[1]:.2f}"])
    print(f"{args.mentors:,} mentors and {args.mentees:,} mentees, {len(cohort.get('exclusions', [])):,} exclusions; "
          f"best of {args.repeat} (CPU s), both outputs checked person by person:\n")
    print(table(["files", "MB", "import CPU s", "wall s", "peak MiB", "MB per CPU s", "peer", "peer CPU s", "peer wall s",
                 "peer peak MiB", "ratio (ours / peer)"], rows))


if __name__ == "__main__":
    main()
