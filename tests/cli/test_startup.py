"""The ``corridor`` script builds only the command it runs: same answers as the whole app."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from corridor.cli.main import app, app_for
from tests.conftest import TINY_DIR

runner = CliRunner()
TINY = ["--network", str(TINY_DIR)]

CASES = [
    [*TINY, "route", "Alpha", "Zulu", "--json"],
    [*TINY, "compare", "Alpha", "Zulu", "--samples", "200", "--json"],
    [f"--network={TINY_DIR}", "route", "Alpha", "Zulu", "--optimize", "cost"],
    ["route", "--help"],
    ["compare", "Alpha"],  # a missing argument: the same usage error
    ["route", "Alpha", "Zulu", "--optimize", "fastest"],  # a bad choice
    [*TINY, "route", "Alpha", "Nowhere"],  # an unknown place: exit 1
    ["keys", "--help"],  # a group of commands
]


@pytest.mark.parametrize("args", CASES, ids=lambda a: " ".join(a[-3:]))
def test_one_command_app_answers_as_the_whole_app(args: list[str]) -> None:
    whole = runner.invoke(app, args)
    slim = runner.invoke(app_for(args), args)
    assert (slim.exit_code, slim.stdout, slim.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )


def test_only_the_named_command_is_built() -> None:
    slim = app_for([*TINY, "compare", "Alpha", "Zulu"])
    assert [c.callback.__name__ for c in slim.registered_commands if c.callback] == ["compare"]
    assert not slim.registered_groups
    assert [g.name for g in app_for(["keys", "list"]).registered_groups] == ["keys"]
    assert len(app.registered_commands) > 10  # the whole app is left as it was


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["--version"], ["--help", "compare"], ["no-such-command"], ["--network"]],
)
def test_help_version_and_unknown_names_run_the_whole_app(args: list[str]) -> None:
    assert app_for(args) is app


def test_shell_completion_runs_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_CORRIDOR_COMPLETE", "complete_bash")
    assert app_for(["compare", "Xi'an"]) is app


_LOADED = """
import sys
from corridor.cli.main import app_for
args = sys.argv[1:]
try:
    app_for(args)(args, standalone_mode=False)
finally:
    print(" ".join(sorted(m for m in ("numpy", "pydantic", "numba", "pandas") if m in sys.modules)))
"""


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        (["route", "Shanghai", "Rotterdam", "--json"], ""),  # routing is pure Python
        (["compare", "Xi'an", "Istanbul", "--samples", "500", "--json"], "numpy"),
    ],
)
def test_route_and_compare_load_only_the_engines_they_use(args: list[str], loaded: str) -> None:
    """A fresh process: no pydantic (edges only), numba or pandas; numpy only to sample."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _LOADED, *args], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == loaded
