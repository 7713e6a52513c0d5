#!/usr/bin/env bash
# Builds the bundled example scheme workspace: Northfield Academy's autumn term 2026, imported
# from the spreadsheets in this folder (10 Year 10 mentors, 16 Year 7 mentees, a timetable of
# three lunchtime and tutor-time slots in two rooms). Then open it with `peermatch serve FILE`.
#
#   instances/examples/scheme/make-example.sh example.peermatch [peermatch binary]
#
# Refuses to overwrite an existing file (as `peermatch scheme init` does).
set -euo pipefail
out="${1:?usage: make-example.sh OUT.peermatch [PEERMATCH]}"
here="$(cd "$(dirname "$0")" && pwd)"
pm="${2:-}"
if [ -z "$pm" ]; then
  (cd "$here/../../.." && swift build -c release --product peermatch >&2)
  pm="$(cd "$here/../../.." && swift build -c release --show-bin-path)/peermatch"
fi
"$pm" scheme init "$out" --name "Northfield Academy peer mentoring" --by "example"
"$pm" scheme term add 2026-autumn --name "Autumn 2026" --setup "$here/setup.yaml" --scheme "$out" --by "example"
"$pm" scheme import --term 2026-autumn "$here/mentors.csv" "$here/mentees.csv" --exclusions "$here/exclusions.csv" --scheme "$out" --by "example"
echo "Made $out. Open it with: peermatch serve $out" >&2
