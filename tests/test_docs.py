"""The README and the docs say what the code does: their examples run, their pictures exist.

Every ```python block holding ``>>>`` examples in ``README.md`` and ``docs/*.md`` is run as a
doctest. Figures in the expected output (days, dollars, counts, dates) move whenever the data or
a model improves, so they are compared by shape: each number must be a number where the text
shows one, and every other character must match; the rows of a printed table may come in any
order. A changed name, column, field or error is still caught.
"""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def shape(text: str) -> list[str]:
    """The lines of ``text`` with every number replaced by ``#``, sorted, blank lines out."""
    return sorted(
        " ".join(NUMBER.sub("#", line).split()) for line in text.splitlines() if line.strip()
    )


class ShapeChecker(doctest.OutputChecker):
    """Exact (or ELLIPSIS) match first; else the same lines once numbers are set aside."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        if super().check_output(want, got, optionflags):
            return True
        return shape(want) == shape(got)


def _examples() -> list[tuple[str, str]]:
    found = []
    for path in DOCS:
        for i, block in enumerate(FENCE.findall(path.read_text(encoding="utf-8"))):
            if ">>>" in block:
                found.append((f"{path.name}#{i + 1}", block))
    return found


def test_shape_sets_numbers_aside_but_not_words() -> None:
    checker = ShapeChecker()
    assert checker.check_output(
        "<X P50 16.2 d, 2,000 samples>\n", "<X P50 9.75 d, 500 samples>\n", 0
    )
    assert checker.check_output("a 1\nb 2\n", "b 3\na 4\n", 0)  # rows in any order
    assert not checker.check_output("<X P50 16.2 d>\n", "<Y P50 16.2 d>\n", 0)
    assert not checker.check_output("middle 1\n", "middle 1\nnorthern 2\n", 0)  # a new row


def test_the_readme_has_python_examples() -> None:
    assert any(name.startswith("README") for name, _ in _examples())


@pytest.mark.slow  # every README example end to end: make test-all
@pytest.mark.parametrize(("name", "block"), _examples(), ids=[n for n, _ in _examples()])
def test_documented_examples_run(name: str, block: str) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block, {}, name, name, 0)
    runner = doctest.DocTestRunner(
        checker=ShapeChecker(), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    failures: list[str] = []
    result = runner.run(test, out=failures.append)
    assert result.failed == 0, "\n".join(failures)


def test_the_pictures_the_readme_shows_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", readme)
    assert "docs/images/compare-xian-istanbul.png" in pictures
    assert "docs/images/map-xian-istanbul.png" in pictures
    for rel in pictures:
        data = (ROOT / rel).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", rel


@pytest.mark.slow
def test_make_docs_draws_both_pictures(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "scripts" / "make_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    drawn = module.draw(tmp_path, samples=300)
    assert [p.name for p in drawn] == ["compare-xian-istanbul.png", "map-xian-istanbul.png"]
    for path in drawn:
        assert path.read_bytes()[:4] == b"\x89PNG"
        assert path.stat().st_size > 20_000
    # the country outlines decode to closed rings over Eurasia
    rings = module.land_rings()
    assert len(rings) > 200
    assert all(abs(r[0][0] - r[-1][0]) < 1e-6 and abs(r[0][1] - r[-1][1]) < 1e-6 for r in rings)


CHEAP = {"compare", "route", "eta", "nodes"}
COMMAND = re.compile(r"^\$ (corridor .*)$")


def _commands() -> list[tuple[str, str, str | None]]:
    """``$ corridor ...`` lines of the docs (quick subcommands) with the error they show."""
    found: list[tuple[str, str, str | None]] = []
    for path in DOCS:
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            m = COMMAND.match(line)
            if m is None:
                continue
            words = shlex.split(m.group(1), comments=True)
            if len(words) < 2 or words[1] not in CHEAP:
                continue
            files = [w for w in words if w.endswith((".csv", ".yaml", ".yml"))]
            if any(not (ROOT / f).exists() for f in files):
                continue  # an illustration with the reader's own file
            after = lines[i + 1] if i + 1 < len(lines) else ""
            error = after if after.startswith("error:") else None
            found.append((f"{path.name}:{i + 1}", " ".join(shlex.quote(w) for w in words), error))
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("where", "command", "error"), _commands(), ids=[w for w, _, _ in _commands()]
)
def test_documented_commands_do_what_the_docs_show(
    where: str, command: str, error: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command runs from the repository root: exit 0, or exit 1 with the error shown
    (its first clause: the candidates it suggests may grow with the network)."""
    from typer.testing import CliRunner

    from corridor.cli.main import app

    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, shlex.split(command)[1:])
    assert "Traceback" not in result.output
    if error is None:
        assert result.exit_code == 0, (where, result.stderr)
    else:
        assert result.exit_code == 1, where
        assert result.stderr.split(";")[0].strip() == error.split(";")[0].strip()
