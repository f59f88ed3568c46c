"""Every documented error class of the command line: one ``error:`` line or a usage error, never a
traceback. Each row is a hostile or mistaken input a user has actually typed or made.

Exit codes (DESIGN): 1 with one line ``error: ...`` on stderr for a domain error (bad data, bad
scenario, unreachable store or scheduler), 2 for a usage error (a bad option value).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli.main import app
from tests.conftest import TINY_DIR

runner = CliRunner()


@dataclass(frozen=True)
class Case:
    """A command line, the files it needs, the exit code and a phrase of the message."""

    name: str
    args: list[str]
    code: int
    says: str
    files: dict[str, str] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    env: dict[str, str] = field(default_factory=dict)


def _network_copy(tmp: Path, edit: Callable[[Path], None]) -> None:
    dest = tmp / "net"
    shutil.copytree(TINY_DIR, dest)
    edit(dest)


def _nodes_folder(d: Path) -> None:
    (d / "nodes.csv").unlink()
    (d / "nodes.csv").mkdir()


def _huge_cell(d: Path) -> None:
    with (d / "nodes.csv").open("a", encoding="utf-8") as f:
        f.write("x" * 200_000 + "\n")


def _bad_utf8(d: Path) -> None:
    with (d / "services.yaml").open("ab") as f:
        f.write(b"\n# \xff\xfe\n")


def _slow_profile(d: Path) -> None:
    text = (d / "profiles.csv").read_text(encoding="utf-8").splitlines()
    cells = text[1].split(",")
    header = text[0].split(",")
    cells[header.index("speed_kmh_mean")] = "1e-300"
    text[1] = ",".join(cells)
    (d / "profiles.csv").write_text("\n".join(text) + "\n", encoding="utf-8")


def _duplicate_service_key(d: Path) -> None:
    text = (d / "services.yaml").read_text(encoding="utf-8")
    (d / "services.yaml").write_text(text + "services: []\n", encoding="utf-8")


BASE = "base: baseline-2024\n"
CASES = [
    Case("depart far future", ["compare", "xian", "istanbul", "--depart", "9999-12-01"], 2,
         "between 2000-01-01 and 2100-12-31"),
    Case("depart not a date", ["compare", "xian", "istanbul", "--depart", "soon"], 2,
         "not a date"),
    Case("plot unknown format", ["compare", "xian", "istanbul", "--plot", "x.xyz"], 2,
         "must end in one of"),
    Case("plot into a missing folder",
         ["compare", "xian", "istanbul", "--plot", "no/such/dir/x.png"], 2, "no folder"),
    Case("deadline infinite", ["compare", "xian", "istanbul", "--deadline", "inf", "--json"], 2,
         "deadline"),
    Case("deadline NaN", ["compare", "xian", "istanbul", "--deadline", "nan", "--json"], 2,
         "deadline"),
    Case("unknown place", ["compare", "xian", "atlantis"], 1, "atlantis"),
    Case("sweep out is a file",
         ["sweep", "baseline-2024", "--grid", "demand.scale=1", "--out", "file.txt"], 2,
         "is not a folder", files={"file.txt": "x"}),
    Case("sweep scheduler not an address",
         ["sweep", "baseline-2024", "--grid", "demand.scale=1", "--scheduler", "not a url"], 2,
         "not a scheduler address"),
    Case("sweep grid value not a number",
         ["sweep", "baseline-2024", "--grid", "demand.scale=abc"], 1, "demand.scale"),
    Case("revoke an id beyond any key", ["keys", "revoke", "1" + "0" * 30], 1, "no API key"),
    Case("scenario scale infinite", ["simulate", "s.yaml"], 1, "finite",
         files={"s.yaml": BASE + "demand: {scale: .inf}\n"}),
    Case("scenario scale 1e12", ["simulate", "s.yaml"], 1, "less than or equal to 1000",
         files={"s.yaml": BASE + "demand: {scale: 1e12}\n"}),
    Case("scenario flow 1e12 TEU", ["simulate", "s.yaml"], 1, "teu_year",
         files={"s.yaml": BASE + "demand:\n  flows:\n"
                "    - {origin: xian, destination: istanbul, teu_year: 1e12}\n"}),
    Case("scenario vessels 1e8", ["simulate", "s.yaml"], 1, "vessels",
         files={"s.yaml": BASE + "changes:\n  services:\n"
                "    caspian-aktau-alat: {vessels: 100000000}\n"}),
    Case("scenario over the size budget", ["simulate", "s.yaml", "--max-teu", "1000"], 1,
         "more than the limit of 1,000 TEU", files={"s.yaml": BASE}),
    Case("scenario days: true", ["simulate", "s.yaml"], 1, "key 'days'",
         files={"s.yaml": BASE + "days: true\n"}),
    Case("scenario duplicate key", ["simulate", "s.yaml"], 1, "given twice",
         files={"s.yaml": BASE + "days: 30\ndays: 60\n"}),
    Case("scenario YAML nested 20k deep", ["simulate", "s.yaml"], 1, "nested more than",
         files={"s.yaml": "[" * 20_000 + "]" * 20_000}),
    Case("scenario JSON nested 20k deep", ["simulate", "s.json"], 1, "nested more than",
         files={"s.json": '{"a":' * 20_000 + "1" + "}" * 20_000}),
    Case("scenario not found", ["simulate", "nope.yaml"], 1, "nope"),
    Case("network is a file", ["--network", "file.txt", "nodes"], 1, "not a folder",
         files={"file.txt": "x"}),
    Case("nodes.csv is a folder", ["--network", "net", "nodes"], 1, "nodes.csv",
         setup=lambda t: _network_copy(t, _nodes_folder)),
    Case("a 200 kB CSV cell", ["--network", "net", "nodes"], 1, "not valid CSV",
         setup=lambda t: _network_copy(t, _huge_cell)),
    Case("services.yaml not UTF-8", ["--network", "net", "nodes"], 1, "not UTF-8",
         setup=lambda t: _network_copy(t, _bad_utf8)),
    Case("services.yaml duplicate key", ["--network", "net", "nodes"], 1, "given twice",
         setup=lambda t: _network_copy(t, _duplicate_service_key)),
    Case("speed of 1e-300 km/h", ["--network", "net", "nodes"], 1, "speed_kmh_mean",
         setup=lambda t: _network_copy(t, _slow_profile)),
    Case("unreachable database", ["keys", "list"], 1, "cannot open the store",
         env={"CORRIDOR_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}),
    Case("database URL not a URL", ["keys", "list"], 1, "cannot open the store",
         env={"CORRIDOR_DATABASE_URL": "not a url"}),
    Case("setting not a number", ["keys", "list"], 1, "CORRIDOR_MAX_CONNECTIONS",
         env={"CORRIDOR_MAX_CONNECTIONS": "many"}),
    Case("serve on an impossible address", ["serve", "--host", "999.1.1.1"], 2,
         "cannot listen on"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_error_is_one_clear_line(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CORRIDOR_DATA_DIR", str(tmp_path / "data"))
    for name, text in case.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    if case.setup is not None:
        case.setup(tmp_path)
    result = runner.invoke(app, case.args, env=case.env)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{case.name}: {type(result.exception).__name__}: {result.exception}"
    )
    assert result.exit_code == case.code, result.stderr
    assert "Traceback" not in result.stderr
    if case.code == 1:
        lines = result.stderr.strip().splitlines()
        errors = [line for line in lines if line.startswith("error: ")]
        assert len(errors) == 1, result.stderr
        assert case.says.lower() in errors[0].lower(), errors[0]
    else:
        assert case.says.lower() in " ".join(result.stderr.split()).lower(), result.stderr


def test_json_output_is_strict(tmp_path: Path) -> None:
    """``--json`` prints JSON a strict parser reads: no NaN or Infinity anywhere."""
    result = runner.invoke(
        app, ["compare", "xian", "istanbul", "--deadline", "365", "--samples", "200", "--json"]
    )
    assert result.exit_code == 0, result.stderr

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in --json output")

    json.loads(result.stdout, parse_constant=refuse)
