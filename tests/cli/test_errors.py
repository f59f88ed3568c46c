"""Every documented error class of the command line: one ``error:`` line or a usage error, never a
traceback. Each row is a hostile or mistaken input a user has actually typed or made.

Exit codes (DESIGN): 1 with one line ``error: ...`` on stderr for a domain error (bad data, bad
scenario, unreachable store or scheduler), 2 for a usage error (a bad option value).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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
OBS_HEAD = "label,origin,destination,depart,days\n"
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
    # issue 24: tracebacks and silent acceptances, each a one-line error or a usage error
    Case("--json --csv together", ["nodes", "--json", "--csv"], 2, "cannot be used together"),
    Case("compare --json --csv", ["compare", "xian", "istanbul", "--json", "--csv"], 2,
         "cannot be used together"),
    Case("route --pareto --alternatives", ["route", "xian", "istanbul", "--pareto",
         "--alternatives", "5"], 2, "cannot be used together"),
    Case("route beyond the API's bound", ["route", "xian", "istanbul", "--alternatives", "20",
         "--via", "aktau", "--via", "tbilisi", "--via", "kars"], 2, "at most 10"),
    Case("route alternatives × via", ["route", "xian", "istanbul", "--alternatives", "5",
         "--via", "aktau", "--via", "baku"], 2, "alternatives × (1 + via places)"),
    Case("eta depart 9999-12-31", ["eta", "xian", "istanbul", "--depart", "9999-12-31"], 2,
         "between 2000-01-01 and 2100-12-31"),
    Case("eta depart 0001-01-01", ["eta", "xian", "istanbul", "--depart", "0001-01-01"], 2,
         "between 2000-01-01 and 2100-12-31"),
    Case("eta depart 2101-01-01", ["eta", "xian", "istanbul", "--depart", "2101-01-01"], 2,
         "between 2000-01-01 and 2100-12-31"),
    Case("eta deadline 9999-12-31", ["eta", "xian", "istanbul", "--depart", "2025-01-01",
         "--deadline", "9999-12-31"], 1, "between 2000-01-01 and 2100-12-31"),
    Case("export --via without --from", ["export", "--out", "x.geojson", "--via", "aktau"], 2,
         "need --from and --to"),
    Case("export --avoid without --from", ["export", "--out", "x.geojson", "--avoid", "RU"], 2,
         "need --from and --to"),
    Case("validate a device", ["validate", "/dev/zero"], 1, "not a regular file"),
    Case("validate a FIFO", ["validate", "pipe.csv"], 1, "not a regular file",
         setup=lambda t: os.mkfifo(t / "pipe.csv")),
    Case("validate a 300 kB cell", ["validate", "o.csv"], 1, "row 2",
         files={"o.csv": OBS_HEAD + "x" * 300_000 + ",Xi'an,Istanbul,2025-07-01,20\n"}),
    Case("validate a NUL", ["validate", "o.csv"], 1, "NUL",
         files={"o.csv": OBS_HEAD + "x\x00,Xi'an,Istanbul,2025-07-01,20\n"}),
    Case("validate a duplicate column", ["validate", "o.csv"], 1, "origin given twice",
         files={"o.csv": "label,origin,origin,destination,depart,days\n"
                "x,Xi'an,Xi'an,Istanbul,2025-07-01,20\n"}),
    Case("validate a departure in 1900", ["validate", "o.csv"], 1, "outside 2000-01-01",
         files={"o.csv": OBS_HEAD + "x,Xi'an,Istanbul,1900-07-01,20\n"}),
    Case("validate a departure in 2200", ["validate", "o.csv"], 1, "outside 2000-01-01",
         files={"o.csv": OBS_HEAD + "x,Xi'an,Istanbul,2200-07-01,20\n"}),
    Case("validate --json --csv", ["validate", "o.csv", "--json", "--csv"], 2,
         "cannot be used together", files={"o.csv": OBS_HEAD}),
    Case("empty scenario file", ["simulate", "s.yaml"], 1, "empty", files={"s.yaml": ""}),
    Case("a 2 MB scenario file", ["simulate", "s.yaml"], 1, "bytes",
         files={"s.yaml": BASE + "# " + "x" * 2_000_000 + "\n"}),
    Case("scenario a FIFO", ["simulate", "s.yaml"], 1, "s.yaml",
         setup=lambda t: os.mkfifo(t / "s.yaml")),
    Case("sweep of a million runs", ["sweep", "baseline-2024", "--grid", "demand.scale="
         + ",".join(str(i + 1) for i in range(1000)), "--replications", "1000"], 2,
         "grid has"),
    Case("keys list on an unusable store", ["keys", "list"], 1, "cannot open the store",
         env={"CORRIDOR_DATABASE_URL": "sqlite:////proc/no/such.db"}),
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


@pytest.mark.slow  # a fresh interpreter per case: make test-all
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--network", "a" * 300, "nodes"], "too long"),
        (
            ["compare", "xian", "istanbul", "--samples", "100", "--plot", "a" * 300 + ".png"],
            "too long",
        ),
        (["simulate", "a" * 300 + ".yaml"], "a"),
        (["sweep", "baseline-2024", "--grid", ".".join(["a"] * 2000) + "=1"], "nested"),
        (["serve", "--port", "1"], "error"),
    ],
    ids=[
        "network name too long",
        "plot name too long",
        "scenario name too long",
        "grid path 2000 deep",
        "serve",
    ],
)
def test_as_run_from_a_shell_no_traceback(
    args: list[str], says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the real entry point (its last line of defence): one line, exit 1 or 2."""
    env = {**os.environ, "CORRIDOR_DATA_DIR": str(tmp_path)}
    if args[0] == "serve":
        env["CORRIDOR_ALLOWED_HOSTS"] = "example.org"  # not JSON
    out = subprocess.run(
        [sys.executable, "-m", "corridor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert out.returncode in (1, 2), out.stderr
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), out.stderr
    assert says in lines[0]


def test_user_text_is_shown_as_text(tmp_path: Path) -> None:
    """A label holding rich markup or terminal escape codes is printed as text: no traceback
    (``[/]`` used to raise MarkupError) and no escape code reaches the terminal."""
    obs = tmp_path / "o.csv"
    obs.write_text(
        OBS_HEAD
        + "[/],Xi'an,Istanbul,2025-07-01,20-25\n"
        + "\x1b[31mRED\x1b[0m,Xi'an,Istanbul,2025-07-01,20-25\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(obs), "--samples", "100"])
    assert result.exit_code == 0, result.stderr
    assert "[/]" in result.stdout
    assert "RED" in result.stdout
    assert "\x1b[31m" not in result.stdout
