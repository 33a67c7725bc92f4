#!/usr/bin/env bash
# Load benchmark of the silo: builds in Release and, for each storage mode (memory, then PostgreSQL on a throwaway
# server started with scripts/postgres.sh and deleted at the end), starts the real host (src/Minsheng.Silo) as a child
# process on free loopback ports, drives it over HTTP and prints one Markdown table: rates and silo CPU per request as
# ratios to that mode's same-run baseline, the bare durable INSERT rate, and the targets of issue 18 (met or missed by
# how much). Nothing is asserted. Takes about 2 minutes on 2 cores; options: --help. Results: BENCHMARKS.md.
#
# Scale run (issue 19): ./scripts/bench.sh --scale gongshu|province|nation [--quick]. Generates the plans with the silo's
# own `generate` command (seed 1; a year-end history of 50 rows per assignment bulk-loaded into PostgreSQL), then measures
# the silo in memory and PostgreSQL mode and the plain design (benchmarks/Minsheng.Benchmarks/PlainDesign.cs) side by side,
# checks every plan and region rollup exact (exit 1 if not; 3 if a mode could not be measured) and writes the scale's
# section of BENCHMARKS.md with issue 19's targets. Needs src/Minsheng.Silo built in Release (dotnet run builds it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The diagnostic tools the benchmark drives (live heap by dotnet-gcdump; --trace by dotnet-trace), pinned, kept in .tools/.
export MINSHENG_TOOLS="$root/.tools"
for tool in dotnet-gcdump dotnet-trace; do
  [[ -x "$MINSHENG_TOOLS/$tool" ]] || dotnet tool install --tool-path "$MINSHENG_TOOLS" "$tool" --version 10.0.750501 >/dev/null
done
exec dotnet run -c Release --project benchmarks/Minsheng.Benchmarks -- "$@"
