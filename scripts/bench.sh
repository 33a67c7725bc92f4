#!/usr/bin/env bash
# Load benchmark of the silo: builds in Release, starts the real host (src/Minsheng.Silo) as a child process on free
# loopback ports, drives it over HTTP and prints a Markdown table of measurements, limits and ratios against a
# baseline measured in the same run. Nothing is asserted. Takes about a minute; options: --help.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
exec dotnet run -c Release --project benchmarks/Minsheng.Benchmarks -- "$@"
