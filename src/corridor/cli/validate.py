"""``corridor validate``: the model's bands against observed journeys.

:func:`register` adds the command to the ``corridor`` typer app.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corridor.cli.common import CsvOpt, JsonOpt, print_json, printable, reject_together, write_csv
from corridor.errors import CorridorError, DataError

if TYPE_CHECKING:
    from rich.console import Group

__all__ = ["register", "validation_rows", "validation_view"]


def validation_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per journey (``--csv``)."""
    return [
        {
            "row": j["row"],
            "label": j["label"],
            "origin": j["origin"],
            "destination": j["destination"],
            "depart": j["depart"],
            "service": j["service"],
            "corridor": j["corridor"],
            "observed_min_days": j["observed_days"]["min"],
            "observed_max_days": j["observed_days"]["max"],
            "p10_days": j["model_days"]["p10"],
            "p50_days": j["model_days"]["p50"],
            "p90_days": j["model_days"]["p90"],
            "inside": j["inside"],
            "sharpness": j["sharpness"],
            "bias_days": j["bias_days"],
            "inside_p25_p75": j.get("inside_p25_p75", ""),
            "pit": j.get("pit", ""),
            "crps_days": j.get("crps_days", ""),
        }
        for j in doc["journeys"]
    ]


def _observed(j: dict[str, Any]) -> str:
    lo, hi = j["observed_days"]["min"], j["observed_days"]["max"]
    return f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"


def validation_view(doc: dict[str, Any]) -> Group:
    """The human view: one line per journey, then the summary per service class."""
    from rich.console import Group  # noqa: PLC0415  (rich loads with the command)
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    t = Table(
        title=f"Model against observed journeys ({doc['file']})",
        caption=f"{doc['samples']:,} sampled journeys per corridor and row, seed {doc['seed']}; "
        "bias = model P50 − observed",
        header_style="bold",
    )
    for col in (
        "row",
        "journey",
        "depart",
        "service",
        "corridor",
        "observed d",
        "P10 d",
        "P50 d",
        "P90 d",
        "inside",
        "P90/P10",
        "bias d",
    ):
        t.add_column(col, justify="left" if col in ("journey", "service", "corridor") else "right")
    for j in doc["journeys"]:
        m = j["model_days"]
        name = j["label"] or f"{j['origin']} → {j['destination']}"
        t.add_row(
            str(j["row"]),
            Text(printable(name)),  # the user's text: no markup, no terminal control codes
            j["depart"],
            j["service"],
            j["corridor"],
            _observed(j),
            f"{m['p10']:.1f}",
            f"{m['p50']:.1f}",
            f"{m['p90']:.1f}",
            Text("yes", style="green") if j["inside"] else Text("no", style="red"),
            f"{j['sharpness']:.2f}",
            f"{j['bias_days']:+.1f}",
        )
    s = Table(
        title="Summary",
        header_style="bold",
        caption="a calibrated model covers 80 % with P10–P90 and 50 % with P25–P75; "
        "PIT by decile is flat; CRPS (days) is lower when sharper and closer",
    )
    for col in (
        "part",
        "journeys",
        "coverage P10–P90",
        "coverage P25–P75",
        "mean bias d",
        "mean |bias| d",
        "CRPS d",
        "median P90/P10",
        "PIT by decile",
    ):
        s.add_column(col, justify="left" if col in ("part", "PIT by decile") else "right")
    summary = doc["summary"]
    parts = [
        *summary["by_service"].items(),
        *((f"{k} corridor", v) for k, v in summary.get("by_corridor", {}).items()),
        ("all", summary),
    ]
    for name, part in parts:
        n = part["journeys"]
        s.add_row(
            name,
            str(n),
            f"{part['inside']} ({part['coverage']:.0%})",
            (
                f"{part['inside_p25_p75']} ({part['coverage_p25_p75']:.0%})"
                if "coverage_p25_p75" in part
                else "–"
            ),
            f"{part['mean_bias_days']:+.1f}",
            f"{part['mean_abs_bias_days']:.1f}",
            f"{part['mean_crps_days']:.2f}" if "mean_crps_days" in part else "–",
            f"{part['median_sharpness']:.2f}",
            " ".join(str(x) for x in part.get("pit_histogram", [])),
        )
    return Group(t, s)


def register(app: typer.Typer) -> None:
    """Add ``corridor validate`` to ``app``."""

    @app.command()
    def validate(
        ctx: typer.Context,
        observed: Annotated[
            Path,
            typer.Argument(
                metavar="OBSERVED.csv",
                help="Observed journeys: origin, destination, depart, days (or days_min and "
                "days_max), optional service, corridor, label, source.",
            ),
        ],
        samples: Annotated[
            int,
            typer.Option(
                "--samples",
                metavar="N",
                min=100,
                max=100_000,
                help="Journeys per corridor and row.",
            ),
        ] = 2000,
        seed: Annotated[
            int, typer.Option("--seed", metavar="SEED", min=0, help="Random seed.")
        ] = 1,
        as_json: JsonOpt = False,
        as_csv: CsvOpt = False,
    ) -> None:
        """Check the model on observed journeys: P10/P50/P90, inside the band, sharpness, bias."""
        reject_together(**{"--json": as_json, "--csv": as_csv})
        from corridor.facade import validate as validate_api  # noqa: PLC0415
        from corridor.network import load_network  # noqa: PLC0415

        try:
            net = load_network(ctx.obj) if ctx.obj is not None else load_network()
            result = validate_api(observed, samples=samples, seed=seed, network=net)
        except DataError as exc:
            for problem in exc.problems:
                typer.echo(f"error: {problem}", err=True)
            raise typer.Exit(1) from None
        except CorridorError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        doc = result.to_dict()
        if as_json:
            print_json(doc)
            return
        if as_csv:
            write_csv(validation_rows(doc))
            return
        from corridor.cli.render import make_console  # noqa: PLC0415

        make_console().print(validation_view(doc))
