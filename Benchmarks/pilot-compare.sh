#!/usr/bin/env bash
# Benchmark (not a test): every preset on the 100 cohorts of the generated pilot programme.
# Target: under 5 minutes on 2 cores. Run from the repository root after `swift build -c release`:
#   Benchmarks/pilot-compare.sh [SEED] [JOBS]
# Prints the comparison table and the wall-clock time; leaves the cohorts, CSV and chart in a temp folder.
set -euo pipefail
seed="${1:-2026}"; jobs="${2:-2}"
bin=".build/release/peermatch"
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 1; }
dir="$(mktemp -d "${TMPDIR:-/tmp}/peermatch-pilot.XXXXXX")"
"$bin" generate --programme pilot --seed "$seed" --out "$dir/cohorts"
start=$(date +%s.%N)
"$bin" compare --policies interests,age,gender,balanced,random,mentee-choice,fair --instances "$dir/cohorts" \
  --seed "$seed" --jobs "$jobs" --out "$dir/summary.csv" --runs-out "$dir/runs.csv" --svg "$dir/chart.svg" --timings
end=$(date +%s.%N)
echo
echo "wall-clock: $(echo "$end - $start" | bc) s for 100 cohorts x 7 policies with --jobs $jobs (nproc $(nproc)); files in $dir"
