"""Read docs/certificates.md the way a third party would: the test vector and the verifier snippets, each the
fenced block after its `<!-- vector: NAME -->` or `<!-- snippet: NAME -->` marker."""

import json
import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "certificates.md"
TEST_KEY = Path(__file__).resolve().parent / "data" / "certificate-test-key.json"
NODE = "/usr/bin/node"


def block(kind: str, name: str) -> str:
    match = re.search(
        rf"<!-- {kind}: {re.escape(name)} -->\n```[a-z]*\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S
    )
    assert match, f"docs/certificates.md has no {kind} {name}"
    return match.group(1)


def write_snippets(folder: Path) -> dict[str, Path]:
    paths = {}
    for name in ("verify.py", "verify.mjs"):
        paths[name] = folder / name
        paths[name].write_text(block("snippet", name) + "\n", encoding="utf-8")
    return paths


def run_verifier(snippet: Path, certificate: str, key: str) -> subprocess.CompletedProcess:
    """Run a doc snippet as a separate program, outside the project (no PYTHONPATH, cwd elsewhere), so it
    cannot import registry code even by accident."""
    command = [sys.executable, "-I", str(snippet)] if snippet.suffix == ".py" else [NODE, str(snippet)]
    return subprocess.run(
        [*command, certificate, key],
        cwd=snippet.parent,
        env={"PATH": "/usr/bin:/bin", "HOME": str(snippet.parent), "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def vector_key() -> dict:
    return json.loads(TEST_KEY.read_text())
