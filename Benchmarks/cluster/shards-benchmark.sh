#!/usr/bin/env bash
# Benchmark (not a test): the sharding contract on this machine, with GNU parallel and GNU time.
#   swift build -c release && Benchmarks/cluster/shards-benchmark.sh [pilot|big|both]
# pilot: the pilot comparison (100 cohorts, seven presets, seed 2026) as 1 process (--jobs 1 and
#        --jobs 2) and as 2 and 8 shards run at once, each merged and compared byte for byte with
#        the one-process output; wall time, CPU time (user + system, all processes) and peak memory.
# big:   COHORTS (10,000) cohorts of the pilot's mix, seven presets, in SHARDS (100) shards through
#        `parallel --jobs JOBS` (2), merged; each shard's wall time and peak memory (min/median/max).
# Each figure is printed with the load average (`uptime`): the machine may be shared.
set -euo pipefail
bin="${PEERMATCH:-.build/release/peermatch}"
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 1; }
command -v parallel >/dev/null && [ -x /usr/bin/time ] || { echo "needs GNU parallel and GNU time (apt-get install parallel time)" >&2; exit 1; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
what="${1:-both}"
policies="interests,age,gender,balanced,random,mentee-choice,fair"
dir="$(mktemp -d "${TMPDIR:-/tmp}/peermatch-shards.XXXXXX")"
load() { uptime | sed 's/.*load average: /load /'; }
# Sums GNU time's "wall user sys maxKiB" lines: prints wall(max) cpu(sum) peakMiB(max) processes.
summary() { awk '{ if ($1 > w) w = $1; c += $2 + $3; if ($4 > m) m = $4; n++ } END { printf "%.2f %.2f %.0f %d\n", w, c, m / 1024, n }' "$@"; }

run_pilot() {
  local args=(compare --programme pilot --cohorts 100 --seed 2026 --policies "$policies")
  echo "## pilot comparison: 100 cohorts x 7 presets = 700 units ($(nproc) cores)"
  for jobs in 1 2; do
    local d="$dir/pilot-one-j$jobs"; mkdir -p "$d"
    local t0; t0=$(date +%s.%N)
    /usr/bin/time -f "%e %U %S %M" -o "$d/time" "$bin" "${args[@]}" --jobs "$jobs" --runs-out "$d/runs.csv" \
      --out "$d/summary.csv" --svg "$d/chart.svg" > "$d/tables.md" 2>/dev/null
    echo "1 process --jobs $jobs: wall $(echo "$(date +%s.%N) - $t0" | bc | xargs printf %.2f) s; $(summary "$d/time" | awk '{print "cpu " $2 " s, peak " $3 " MiB"}'); $(load)"
  done
  local ref="$dir/pilot-one-j1"
  for n in 2 8; do
    local d="$dir/pilot-$n"; mkdir -p "$d"
    local t0; t0=$(date +%s.%N)
    parallel --jobs "$n" /usr/bin/time -f "'%e %U %S %M'" -o "$d/time-{}" "$bin" "${args[@]}" \
      --shard-index {} --shard-count "$n" --runs-out "$d/shard-{}.csv" 2>/dev/null ::: $(seq 0 $((n - 1)))
    local t1; t1=$(date +%s.%N)
    /usr/bin/time -f "%e %U %S %M" -o "$d/merge-time" "$bin" compare merge "$d"/shard-*.csv --runs-out "$d/runs.csv" \
      --out "$d/summary.csv" --svg "$d/chart.svg" > "$d/tables.md"
    local t2; t2=$(date +%s.%N)
    local same="identical"
    for f in tables.md summary.csv chart.svg runs.csv; do cmp -s "$ref/$f" "$d/$f" || same="DIFFERENT ($f)"; done
    read -r w c m k < <(summary "$d"/time-*)
    echo "$n shards at once: wall $(echo "$t1 - $t0" | bc | xargs printf %.2f) s + merge $(echo "$t2 - $t1" | bc | xargs printf %.2f) s; cpu $c s in $k processes (slowest shard $w s, peak $m MiB); merged output $same; $(load)"
  done
}

run_big() {
  local cohorts="${COHORTS:-10000}" shards="${SHARDS:-100}" jobs="${JOBS:-2}"
  local d="$dir/big"; mkdir -p "$d"
  echo "## $cohorts cohorts x 7 presets = $((cohorts * 7)) units in $shards shards, parallel --jobs $jobs; $(load)"
  local t0; t0=$(date +%s.%N)
  parallel --jobs "$jobs" /usr/bin/time -f "'%e %U %S %M'" -o "$d/time-{}" "$bin" compare --programme pilot --cohorts "$cohorts" \
    --seed 2026 --policies "$policies" --shard-index {} --shard-count "$shards" --runs-out "$d/shard-{}.csv" 2>/dev/null ::: $(seq 0 $((shards - 1)))
  local t1; t1=$(date +%s.%N)
  /usr/bin/time -f "%e %U %S %M" -o "$d/merge-time" "$bin" compare merge "$d"/shard-*.csv --out "$d/summary.csv" > "$d/tables.md"
  local t2; t2=$(date +%s.%N)
  echo "all shards: wall $(echo "$t1 - $t0" | bc | xargs printf %.1f) s; $(summary "$d"/time-* | awk '{print "cpu " $2 " s in " $4 " processes"}'); $(load)"
  for k in 1 4; do   # column 1: wall seconds, column 4: peak KiB
    cat "$d"/time-* | awk -v k=$k '{print $k}' | sort -n | awk -v k=$k '{ v[NR] = $1 } END {
      f = (k == 4) ? 1 / 1024 : 1; u = (k == 4) ? " MiB" : " s"
      printf "per shard %s: min %.1f%s, median %.1f%s, max %.1f%s\n", (k == 4 ? "peak memory" : "wall"), v[1] * f, u, v[int((NR + 1) / 2)] * f, u, v[NR] * f, u }'
  done
  echo "merge: wall $(echo "$t2 - $t1" | bc | xargs printf %.1f) s, peak $(awk '{printf "%.0f", $4 / 1024}' "$d/merge-time") MiB; $(load)"
  if [ -n "${REFERENCE:-}" ]; then   # the same comparison in one process, --jobs JOBS, for the bytes and the overhead
    local t3; t3=$(date +%s.%N)
    /usr/bin/time -f "%e %U %S %M" -o "$d/one-time" "$bin" compare --programme pilot --cohorts "$cohorts" --seed 2026 \
      --policies "$policies" --jobs "$jobs" --out "$d/one-summary.csv" > "$d/one-tables.md" 2>/dev/null
    local same="identical"
    cmp -s "$d/one-tables.md" "$d/tables.md" && cmp -s "$d/one-summary.csv" "$d/summary.csv" || same="DIFFERENT"
    echo "one process --jobs $jobs: wall $(echo "$(date +%s.%N) - $t3" | bc | xargs printf %.1f) s; $(summary "$d/one-time" | awk '{print "cpu " $2 " s, peak " $3 " MiB"}'); merged output $same; $(load)"
  fi
  head -12 "$d/tables.md"
}

case "$what" in
  pilot) run_pilot ;;
  big) run_big ;;
  both) run_pilot; run_big ;;
esac
echo "files in $dir"
