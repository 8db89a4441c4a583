"""SPEC conformance: the shared cases (`../shared/conformance/run`) hold on every run of the suite.

The cases live beside the repository, not in it. A plain clone without them skips these two tests with
that reason; under CI (`CI` set, as every CI service sets it) they always run, and a missing runner fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "run"


@pytest.mark.parametrize("level", ["check", "site"])
def test_conformance_level_passes(level):
    if not RUNNER.is_file() and not os.environ.get("CI"):
        pytest.skip("no ../shared/conformance beside this clone (CI runs these)")
    assert RUNNER.is_file(), "the conformance cases are expected in ../shared/conformance beside the repository"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run([sys.executable, str(RUNNER), level], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(" 0 failed")
