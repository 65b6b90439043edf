"""The load generator: wrk (Debian package `wrk`) with a generated Lua script per benchmark.

Each script cycles through its requests (method, path, body) with fixed headers and, when wrk is done, writes
the latency percentiles and counts as JSON to a file (wrk's own summary has no p95).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

INSTALL_HINT = "wrk is not installed: `sudo apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`."

LUA = r"""
local requests = {}
%(requests)s
local headers = %(headers)s
local counter = 0
request = function()
  counter = counter + 1
  local r = requests[(counter %% #requests) + 1]
  local h = {}
  for k, v in pairs(headers) do h[k] = v end
  if r[3] ~= nil then h["Content-Type"] = "application/json" end
  return wrk.format(r[1], r[2], h, r[3])
end
done = function(summary, latency, requests_)
  local f = io.open("%(out)s", "w")
  local e = summary.errors
  f:write(string.format(
    '{"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d, ' ..
    '"errors": {"connect": %%d, "read": %%d, "write": %%d, "timeout": %%d, "status": %%d}}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, e.status))
  f:close()
end
"""


@dataclass
class Benchmark:
    name: str
    requests: list[tuple[str, str, str | None]]  # (method, path, JSON body or None)
    headers: dict[str, str] = field(default_factory=dict)
    connections: int = 32
    items_per_request: int = 1  # the bulk check carries 1,000 checks per call
    expect_status: int = 200


def _lua_string(value: str) -> str:
    return "([==[" + value + "]==])"  # parenthesised: inside a table constructor "[" would start a key


def script(bench: Benchmark, out: Path) -> str:
    lines = []
    for method, path, body in bench.requests:
        body_lua = _lua_string(body) if body is not None else "nil"
        lines.append(f"requests[#requests + 1] = {{{_lua_string(method)}, {_lua_string(path)}, {body_lua}}}")
    headers = (
        "{" + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in bench.headers.items()) + "}"
    )
    return LUA % {"requests": "\n".join(lines), "headers": headers, "out": str(out)}


def available() -> bool:
    return shutil.which("wrk") is not None


def run(bench: Benchmark, url: str, workdir: Path, seconds: int, threads: int = 2) -> dict:
    slug = "".join(c if c.isalnum() else "_" for c in bench.name)
    lua, out = workdir / f"{slug}.lua", workdir / f"{slug}.json"
    lua.write_text(script(bench, out))
    threads = min(threads, bench.connections)
    proc = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(bench.connections), "-d", f"{seconds}s", "--timeout", "60s"]
        + ["-s", str(lua), url],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode or not out.exists():
        raise RuntimeError(f"wrk failed for {bench.name}:\n{proc.stdout}\n{proc.stderr}")
    stats = json.loads(out.read_text())
    seconds_run = stats["duration_us"] / 1e6
    errors = stats["errors"]
    non_expected = errors["status"] if bench.expect_status < 300 else 0
    return {
        "benchmark": bench.name,
        "connections": bench.connections,
        "requests": stats["requests"],
        "rps": stats["requests"] / seconds_run,
        "items_per_s": stats["requests"] * bench.items_per_request / seconds_run,
        "p50_ms": stats["p50_us"] / 1000,
        "p95_ms": stats["p95_us"] / 1000,
        "p99_ms": stats["p99_us"] / 1000,
        "max_ms": stats["max_us"] / 1000,
        "errors": non_expected + errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
    }
