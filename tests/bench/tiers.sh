#!/usr/bin/env bash
# tests/bench/tiers.sh — the tiers, whole system: migration throughput hot → S3 (warm) of the built server against a raw
# S3 PUT of the same bytes (same client settings, same concurrency), and the move to cold and the recall of a
# 500-instance study. Prints a Markdown report and keeps it in tests/bench/out/tiers-<UTC time>.md (gitignored).
#
# Usage: tests/bench/tiers.sh [--studies N] [--per-study N] [--recall-instances N] [--concurrency N]
#   defaults: two sets of 4 studies × 50 synthetic CT instances (~513 KiB each), a 500-instance study, 8 PUTs in flight
#   (the server's default: 2 migrations × 4 copies).
#
# Starts PostgreSQL (deploy/local/pg start) and Ceph RGW (deploy/local/s3 start) when they are not running (both reused
# when they are), builds tests/bench/tiers in Release (which builds the server), runs it. The benchmark makes its own
# database and buckets and removes them at the end.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${VNA_BENCH_OUT:-$HERE/out}"
mkdir -p "$OUT"
TS=$(date -u +%Y%m%dT%H%M%SZ)
export VNA_BENCH_REPORT="$OUT/tiers-$TS.md"

if [[ -z "${VNA_TEST_PG:-}" ]]; then
    VNA_TEST_PG="$("$ROOT/deploy/local/pg" start | tail -n 1)"
    export VNA_TEST_PG
fi
if [[ -z "${VNA_TEST_S3:-}" ]]; then
    VNA_TEST_S3="$("$ROOT/deploy/local/s3" start | tail -n 1)"
    export VNA_TEST_S3
fi

dotnet build "$HERE/tiers/Vna.Bench.Tiers.csproj" -c Release -nologo -v quiet >&2
dotnet "$HERE/tiers/bin/Release/net10.0/vna-bench-tiers.dll" "$@"
echo "report: $VNA_BENCH_REPORT" >&2
