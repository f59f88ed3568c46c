"""One presentation module: one colour per corridor in every output, charts drawn lazily."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from corridor.cli.render import route_table
from corridor.facade import compare, route
from corridor.model import Corridor, ResourceKind
from corridor.network import Network
from corridor.present import (
    CORRIDOR_COLOURS,
    comparison_histogram,
    corridor_colour,
    palette,
    plot_comparison,
)


def test_every_corridor_has_its_own_colour() -> None:
    assert set(CORRIDOR_COLOURS) == {c.value for c in Corridor}
    assert len(set(CORRIDOR_COLOURS.values())) == len(CORRIDOR_COLOURS)
    assert palette()["corridors"] == dict(CORRIDOR_COLOURS)


def test_terminal_uses_the_corridor_colour(tiny: Network) -> None:
    plan = route("Alpha", "Zulu", alternatives=2, network=tiny)
    console = Console(record=True, color_system="truecolor", width=200)
    console.print(route_table(list(plan.routes), tiny.nodes, "t"))
    html = console.export_html(inline_styles=True)
    for r in plan.routes:
        assert corridor_colour(r.corridor.value) in html


def test_png_uses_the_corridor_colour(
    tiny: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.axes import Axes
    from matplotlib.colors import to_hex

    c = compare("aa", "zz", depart="2026-03-01", samples=300, keep_samples=True, network=tiny)
    seen: list[str] = []
    real_hist = Axes.hist

    def spy(self: Axes, x: object, *args: object, **kwargs: object) -> object:
        seen.append(to_hex(kwargs["color"]))  # type: ignore[arg-type]
        return real_hist(self, x, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Axes, "hist", spy)
    plot_comparison(c, tmp_path / "c.png")
    assert seen == [CORRIDOR_COLOURS[o.corridor.value] for o in c.options]
    assert (tmp_path / "c.png").stat().st_size > 1000


def test_histogram_counts_every_sample(tiny: Network) -> None:
    c = compare("aa", "zz", depart="2026-03-01", samples=500, keep_samples=True, network=tiny)
    h = comparison_histogram(c)
    assert set(h["counts"]) == {o.corridor.value for o in c.options}
    assert all(sum(v) == 500 for v in h["counts"].values())
    assert np.all(np.diff(h["edges_days"]) > 0)


def test_importing_present_does_not_import_matplotlib() -> None:
    code = "import sys, corridor.present; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_resource_kind_capacitated() -> None:
    assert [k.value for k in ResourceKind if not k.capacitated] == ["formation"]
    assert ResourceKind("line").capacitated and ResourceKind("vessel").capacitated
    with pytest.raises(ValueError, match="queue"):
        ResourceKind("queue")
