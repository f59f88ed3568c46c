"""A base install (no extras): the commands that need an extra say which, in one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # fresh interpreters with extras hidden: make test-all

_WITHOUT = """
import sys
for name in {hidden!r}:
    sys.modules[name] = None  # as if the package were not installed
sys.argv = ["corridor", *{args!r}]
from corridor.cli.main import main
main()
"""


def _run(hidden: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    code = _WITHOUT.format(hidden=hidden, args=list(args))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )


def test_simulate_without_numba_names_the_simulate_extra() -> None:
    out = _run(["numba"], "simulate", "baseline-2024", "--days", "1")
    assert out.returncode == 1, out.stderr
    assert out.stderr.splitlines() == [
        "error: the capacity simulation needs the 'simulate' extra (numba is not installed): "
        "pip install 'corridor[simulate]'"
    ]


@pytest.mark.parametrize("command", [["route", "Baku", "Kars"], ["compare", "Baku", "Kars"]])
def test_route_and_compare_need_no_extra(command: list[str]) -> None:
    out = _run(["numba", "pyarrow", "pandas"], *command, "--json")
    assert out.returncode == 0, out.stderr
    assert '"origin"' in out.stdout


def test_sweep_without_dask_names_the_sweep_extra(tmp_path: object) -> None:
    out = _run(["dask"], "sweep", "baseline-2024", "--out", str(tmp_path), "--grid", "scale=1,2")
    assert out.returncode == 1, out.stderr
    assert out.stderr.splitlines() == [
        "error: a sweep needs the 'sweep' extra (dask is not installed): "
        "pip install 'corridor[sweep]'"
    ]
