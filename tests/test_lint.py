"""The lint step: ruff (lint and format) and the type checker, clean, as CI runs them."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "--quiet", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    result = run("ruff", "format", "--check", "--quiet", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_type_checker_finds_nothing() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_benchmark_script_starts() -> None:
    """A benchmark that no longer imports after a change is found here, not months later."""
    for script in sorted((REPO / "benchmarks").glob("bench_*.py")):
        result = run(str(script.relative_to(REPO)).removesuffix(".py").replace("/", "."), "--help")
        assert result.returncode == 0 and "usage" in result.stdout, f"{script.name}: {result.stderr[-2000:]}"
