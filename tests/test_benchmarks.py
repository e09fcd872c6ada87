"""The benchmarks still run (their figures are read by people, not asserted: these machines are noisy)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_fanout_benchmark_runs_and_prints_its_figures() -> None:
    result = subprocess.run([sys.executable, "benchmarks/fanout.py", "--rounds", "3"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "one vote, on all screens:" in result.stdout
    assert "x the baseline" in result.stdout


def test_the_planner_benchmark_runs_and_prints_its_figures() -> None:
    result = subprocess.run([sys.executable, "benchmarks/planner.py", "--runs", "5"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "20 waiting patients x 3 clinicians x a 12-topic agenda" in result.stdout
    assert "baseline, the staff view without it:" in result.stdout
    assert "at 100 live sessions" in result.stdout
