#!/usr/bin/env bash
# The pilot programme comparison (100 cohorts, seven presets) in 8 shards with GNU parallel, then
# merged: on this machine, or across hosts sharing this folder with --sshloginfile HOSTS added.
# Rerun it after a kill: each shard skips the units its runs file already holds.
set -euo pipefail
peermatch="${PEERMATCH:-peermatch}"; shards="${SHARDS:-8}"; out="${OUT:-runs}"; mkdir -p "$out"
parallel -q --jobs "${JOBS:-$shards}" --halt now,fail=1 "$peermatch" compare --programme pilot --cohorts "${COHORTS:-100}" \
  --seed "${SEED:-2026}" --policies "${POLICIES:-interests,age,gender,balanced,random,mentee-choice,fair}" \
  --shard-index {} --shard-count "$shards" --runs-out "$out/shard-{}.csv" ::: $(seq 0 $((shards - 1)))
"$peermatch" compare merge "$out"/shard-*.csv --out "$out/summary.csv" --svg "$out/chart.svg" --runs-out "$out/runs.csv"
