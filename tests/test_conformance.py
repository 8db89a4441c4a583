"""SPEC conformance: the shared cases (`../shared/conformance/run`) hold on every run of the suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "run"


@pytest.mark.parametrize("level", ["check", "site"])
def test_conformance_level_passes(level):
    assert RUNNER.is_file(), f"the conformance cases are expected at {RUNNER.name} in ../shared/conformance"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run([sys.executable, str(RUNNER), level], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(" 0 failed")
