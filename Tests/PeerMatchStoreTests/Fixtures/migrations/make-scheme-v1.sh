#!/usr/bin/env bash
# Makes scheme-v1.peermatch: a scheme file written by the first released schema (migration "v1"),
# for the migration test (Tests/PeerMatchStoreTests/MigrationTests.swift), which opens it with the
# current code and checks that every row survived the upgrade.
#
# It must be run with a peermatch built from commit f69c632 (the first schema), never a later one:
#   git worktree add /tmp/pm-v1 f69c632 && (cd /tmp/pm-v1 && swift build)
#   Tests/PeerMatchStoreTests/Fixtures/migrations/make-scheme-v1.sh /tmp/pm-v1/.build/debug/peermatch
# The clock is fixed, so the file's contents are the same on every run (SQLite page layout aside).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:?usage: make-scheme-v1.sh PATH/TO/peermatch (built from commit f69c632)}"
year="$here/../year"
out="$here/scheme-v1.peermatch"
rm -f "$out" "$out-wal" "$out-shm"
export PEERMATCH_SCHEME="$out"
export PEERMATCH_CLOCK="2026-09-01T08:00:00Z"
"$bin" scheme init "$out" --name "Northfield peer mentoring (v1 fixture)" --by fixture
"$bin" scheme term add 2026-autumn --name "Autumn 2026" --setup "$year/autumn-setup.yaml" --by fixture
"$bin" scheme import --term 2026-autumn "$year/autumn-mentors.csv" "$year/autumn-mentees.csv" --exclusions "$year/autumn-exclusions.csv" --by fixture
"$bin" scheme match 2026-autumn --by fixture
"$bin" scheme approve --term 2026-autumn e1 e2 e3 --by fixture
"$bin" scheme decline --term 2026-autumn e4 --note "mentor's request" --by fixture
"$bin" scheme lock --term 2026-autumn e5 --by fixture
"$bin" scheme end --term 2026-autumn e3 --reason conflict --no-repeat --date 2026-10-15 --note "fell out" --by fixture
"$bin" scheme match 2026-autumn --by fixture --note "after the decline"
"$bin" scheme term add 2027-spring --name "Spring 2027" --setup "$year/spring-setup.yaml" --policy balanced --by fixture
"$bin" scheme import --term 2027-spring "$year/spring-mentors.csv" "$year/spring-mentees.csv" --by fixture
"$bin" scheme match 2027-spring --by fixture
# One self-contained file: fold the write-ahead log in.
sqlite3 "$out" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
rm -f "$out-wal" "$out-shm"
"$bin" scheme show 2026-autumn --format json > "$here/scheme-v1.autumn.json"
"$bin" scheme show 2027-spring --format json > "$here/scheme-v1.spring.json"
rm -f "$out-wal" "$out-shm"
echo "wrote $out"
