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
    MODE_COLOURS,
    comparison_histogram,
    corridor_colour,
    palette,
    plot_comparison,
)


def test_every_corridor_has_its_own_colour() -> None:
    assert {c.value for c in Corridor} <= set(CORRIDOR_COLOURS)
    assert len(set(CORRIDOR_COLOURS.values())) == len(CORRIDOR_COLOURS)
    assert palette()["corridors"] == dict(CORRIDOR_COLOURS)


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB hex colour, from the published sRGB and CIELAB formulas."""
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_where_the_days_go_never_looks_like_a_corridor() -> None:
    """Every mode colour is far (CIE76 delta E > 25, well past "clearly different") from every
    corridor colour, and the web page gets both from the one palette."""
    doc = palette()
    assert doc["modes"] == dict(MODE_COLOURS)
    for mode, m in MODE_COLOURS.items():
        for corridor, c in CORRIDOR_COLOURS.items():
            delta = sum((a - b) ** 2 for a, b in zip(_lab(m), _lab(c), strict=True)) ** 0.5
            assert delta > 25, (mode, corridor, round(delta, 1))


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


def test_histogram_keeps_both_rows_of_a_corridor(bundled: Network) -> None:
    """Chongqing -> Shanghai shows the train and the Yangtze barge, both direct: each row keeps
    its own counts (the barge's under 'direct river'), none overwrites the other."""
    c = compare("Chongqing", "Shanghai", samples=200, keep_samples=True, network=bundled)
    h = comparison_histogram(c)
    assert set(h["counts"]) == {"direct", "direct river"}
    assert all(sum(v) == 200 for v in h["counts"].values())
    train, barge = (np.array(h["counts"][k]) for k in ("direct", "direct river"))
    mids = np.array(h["edges_days"][:-1])
    assert (train * mids).sum() < (barge * mids).sum()  # the train's days are the shorter


def test_importing_present_does_not_import_matplotlib() -> None:
    code = "import sys, corridor.present; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_resource_kind_capacitated() -> None:
    assert [k.value for k in ResourceKind if not k.capacitated] == ["formation"]
    assert ResourceKind("line").capacitated and ResourceKind("vessel").capacitated
    with pytest.raises(ValueError, match="queue"):
        ResourceKind("queue")
