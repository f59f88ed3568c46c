"""Edges a new user meets: a busy port, a base install without the service extra."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corridor.cli.main import app

runner = CliRunner()


def test_serve_on_a_busy_port_is_one_error_line_and_exit_1() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "corridor", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    assert done.returncode == 1
    assert done.stdout == ""  # no URL printed for a server that never ran
    assert done.stderr.count("\n") == 1
    assert f"127.0.0.1:{port}" in done.stderr
    assert "in use" in done.stderr


def test_eta_report_names_the_extra_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def without_fastapi(name: str, *args: Any, **kwargs: Any) -> Any:
        return None if name == "fastapi" else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", without_fastapi)
    result = runner.invoke(app, ["eta-report"])
    assert result.exit_code == 1
    assert "pip install 'corridor[service]'" in result.stderr
    assert "eta-report" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("words", "expected"),
    [("corridor compare Akt", "Aktau"), ("corridor eta xian Istan", "Istanbul")],
)
def test_tab_completes_place_names(words: str, expected: str) -> None:
    """What bash's completion asks the program (``corridor --install-completion`` wires it)."""
    import os

    env = {
        **os.environ,
        "_CORRIDOR_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    done = subprocess.run(
        [str(Path(sys.executable).with_name("corridor"))],  # the installed command
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    offered = done.stdout.splitlines()
    assert expected in offered, done.stdout
    assert all(w.casefold().startswith(words.rsplit(maxsplit=1)[-1].casefold()) for w in offered)
