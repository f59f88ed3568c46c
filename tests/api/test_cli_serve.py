"""``corridor serve`` and ``corridor keys`` (added to a typer app by ``register``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from corridor.cli.serve import register
from corridor.store import Store
from tests.web.conftest import _free_port


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _main() -> None:
        """Test app."""

    register(app)
    return app


def test_keys_create_list_revoke(cli: typer.Typer, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    runner = CliRunner()
    env = {"CORRIDOR_DATABASE_URL": url}
    created = runner.invoke(cli, ["keys", "create", "--name", "ops"], env=env)
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    assert key.startswith("cor_")
    store = Store(url)
    record = store.verify_api_key(key)
    store.close()
    assert record is not None
    assert record.name == "ops"
    listed = runner.invoke(cli, ["keys", "list"], env=env)
    assert "ops" in listed.stdout
    assert key not in listed.stdout
    assert runner.invoke(cli, ["keys", "revoke", str(record.id)], env=env).exit_code == 0
    assert runner.invoke(cli, ["keys", "revoke", "999"], env=env).exit_code == 1


@pytest.mark.slow
def test_serve_starts_the_service(tmp_path: Path) -> None:
    port = _free_port()
    script = (
        "import typer; from corridor.cli.serve import register; app = typer.Typer();"
        "app.callback()(lambda: None); register(app); app()"
    )
    env = {**os.environ, "CORRIDOR_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}"}
    proc = subprocess.Popen(
        [sys.executable, "-c", script, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert proc.poll() is None, "serve exited"
                assert time.monotonic() < deadline, "serve did not answer"
                time.sleep(0.2)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=15)
    text = out.decode()
    assert f"http://127.0.0.1:{port}/" in text
    assert "need no API key" in text


def test_serve_without_the_service_extra(cli: typer.Typer, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        return None if name == "fastapi" else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    result = CliRunner().invoke(cli, ["serve", "--port", "1"])
    assert result.exit_code == 1
    assert "pip install 'corridor[service]'" in result.stderr
    assert "Traceback" not in result.stderr
