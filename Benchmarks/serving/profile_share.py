#!/usr/bin/env python3
"""Share of a profile's samples whose stack has a frame matching each pattern (a regular expression).

    perf record -F 2000 -g -p SERVER_PID -o telemetry.data -- sleep 10     # the server under wrk load
    Benchmarks/serving/profile_share.py telemetry.data 'RequestTelemetryMiddleware' 'libc_write'
"""
import re
import subprocess
import sys

data, patterns = sys.argv[1], sys.argv[2:]
script = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym"], capture_output=True, text=True, check=True).stdout
stacks = [block for block in script.split("\n\n") if block.strip()]
for pattern in patterns:
    expression = re.compile(pattern)
    hits = sum(1 for stack in stacks if expression.search(stack))
    print(f"{100 * hits / len(stacks):6.2f}%  {pattern}")
