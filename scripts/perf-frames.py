#!/usr/bin/env python3
"""Where a silo's CPU went, from `perf script` output of a `./scripts/bench.sh --perf DIR` recording.

usage: perf script -i DIR/memory-reports.perf.data --pid "$(cat DIR/memory-reports.perf.data.pid)" | scripts/perf-frames.py
       perf script -i DIR/postgres-reports.perf.data --comm postgres | scripts/perf-frames.py [--top N]

The recording covers every CPU: `--pid` (the silo's, written beside the recording) or `--comm postgres` (PostgreSQL's
backends) picks whose samples to read.

Prints three tables over all samples of the process: each sample attributed to one area of code, the one of its
deepest frame that any rule matches (the shares add up to 100%: "where the CPU was"); the share of samples with an
area anywhere on the stack (inclusive, overlapping: "what it cost with everything it called"; middleware that wraps
the rest of the pipeline is inclusive of it); and the hottest leaf frames. Areas are matched by assembly or namespace
in a frame's name, the first matching rule naming the area.
"""
import re
import sys
from collections import Counter

AREAS = [
    ("JIT compiler (libclrjit)", r"libclrjit\.so"),
    ("runtime: GC, allocation, casts, stubs (libcoreclr)", r"libcoreclr\.so"),
    ("kernel", r"\[kernel"),
    ("JWT validation", r"IdentityModel|JwtBearer|JsonWebToken"),
    ("authentication (other)", r"Microsoft\.AspNetCore\.Authentication"),
    ("rate limiter", r"RateLimit"),
    ("report body JSON", r"Minsheng\.Silo\.Api\.JsonBody"),
    ("System.Text.Json", r"System\.Text\.Json"),
    ("Minsheng report endpoint", r"Minsheng\.Silo\.Api\.ReportsApi"),
    ("Minsheng owner book", r"Minsheng\.Grains\.Owners"),
    ("Minsheng outboxes and aggregates", r"Minsheng\.Grains\.(Routing|Aggregates|Events)"),
    ("Minsheng supervision", r"Minsheng\.(Grains\.Supervision|Domain\.Supervision)"),
    ("Minsheng (other)", r"Minsheng\."),
    ("Orleans serialization / copying", r"Orleans\.Serialization"),
    ("Orleans messaging and scheduling", r"Orleans\."),
    ("OpenTelemetry / metrics", r"OpenTelemetry|System\.Diagnostics\.Metrics"),
    ("Kestrel / HTTP", r"Kestrel|Microsoft\.AspNetCore\.Http|System\.Net\.(Sockets|Http)|Microsoft\.AspNetCore\.Routing"),
    ("logging", r"Microsoft\.Extensions\.Logging"),
]

def main():
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 25
    inclusive, deepest, leaves, samples = Counter(), Counter(), Counter(), 0
    stack = []
    def flush():
        nonlocal samples
        if not stack:
            return
        samples += 1
        seen = []
        for frame in stack:
            for name, pattern in AREAS:
                if re.search(pattern, frame):
                    seen.append(name)
                    break
        # The runtime sits at the root of every thread: it is an area only where it is the leaf.
        first = next((n for n in seen if not n.startswith("runtime")), "other") if not seen or not seen[0].startswith("runtime") else seen[0]
        if any(n.startswith("JIT") for n in seen):
            first = "JIT compiler (libclrjit)"
        deepest[first] += 1
        inclusive.update(set(n for n in seen if not n.startswith("runtime")))
        leaves[short(stack[0])] += 1
        stack.clear()
    for line in sys.stdin:
        if line.startswith("\t") or line.startswith(" "):
            stack.append(line.strip())
        elif not line.strip():
            flush()
    flush()
    print(f"{samples} samples")
    print("\n| area (deepest frame) | share of samples |\n|---|---:|")
    for name, count in deepest.most_common():
        print(f"| {name} | {100 * count / samples:.1f}% |")
    print("\n| area (anywhere on the stack) | share of samples |\n|---|---:|")
    for name, count in inclusive.most_common():
        print(f"| {name} | {100 * count / samples:.1f}% |")
    print(f"\n| hottest leaf frames | share |\n|---|---:|")
    for name, count in leaves.most_common(top):
        print(f"| `{name}` | {100 * count / samples:.1f}% |")

def short(frame):
    frame = re.sub(r"^[0-9a-f]+ ", "", frame)
    frame = re.sub(r"\(/[^)]*\)$", "", frame).strip()
    m = re.search(r"\] ([\w.`<>|+]+::[\w.`<>|]+)", frame)
    if m:
        return m.group(1)
    m = re.search(r"\(([^)]*/)?([^/)]+)\)$", frame)
    return frame[:90]

if __name__ == "__main__":
    main()
