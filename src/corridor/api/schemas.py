"""Request and response schemas: inputs (``*In``) apart from outputs (``*Out``).

The response documents of nodes, routes and compare are those of the CLI's ``--json``; the
models here describe them for OpenAPI (and Schemathesis checks the answers against them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CompareOut",
    "FeatureCollectionOut",
    "HealthOut",
    "JobListOut",
    "JobOut",
    "JobSummaryOut",
    "NodeListOut",
    "NodeOut",
    "PaletteOut",
    "ProblemOut",
    "RouteListOut",
    "ScenarioIn",
    "ScenarioListOut",
    "ScenarioOut",
    "ScenarioSummaryOut",
    "SimulationIn",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


CorridorName = Literal["middle", "north-south", "northern", "southern", "maritime", "direct"]


class FeatureCollectionOut(_Out):
    """A GeoJSON FeatureCollection (RFC 7946)."""

    type: Literal["FeatureCollection"]
    features: list[dict[str, Any]]


class ProblemOut(_Out):
    """An error as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    candidates: list[str] | None = Field(
        default=None, description="For an unknown place: the closest names."
    )


class HealthOut(_Out):
    """Liveness and the state of the store."""

    status: Literal["ok", "degraded"]
    version: str
    database: str
    writable: bool = Field(
        default=True, description="The store answers and can take writes (disk, permissions)."
    )
    problem: str | None = Field(default=None, description="Why the status is degraded.")
    jobs_running: int = Field(description="Queued or running jobs in the store (all servers).")
    jobs_running_here: int = Field(description="Worker processes of this server.")


class NodeOut(_Out):
    """A place of the network."""

    id: str
    name: str
    aliases: list[str]
    country: str
    lat: float
    lon: float
    kind: str
    locode: str | None = None
    gauges: list[int]
    operations: list[str]


class NodeListOut(_Out):
    """``corridor nodes --json``."""

    nodes: list[NodeOut]
    suggestions: list[str] | None = Field(
        default=None,
        description="When `search` contains in no place: the closest place names (API only).",
    )


class _Hours(_Out):
    mean: float
    p90: float


class BandOut(_Out):
    """Low / expected / high USD per container."""

    low: float
    expected: float
    high: float


class Co2eOut(_Out):
    """Well-to-wheel and tank-to-wheel kg CO2e (ISO 14083 / GLEC)."""

    wtw: float
    ttw: float


class CostItemOut(_Out):
    """One component of a leg's cost with the rate it comes from."""

    item: str
    usd: BandOut
    rate_id: str
    basis: str
    sources: list[str]
    estimate: bool
    included_in_rate: bool | None = Field(
        default=None, description="Contained in another item of the leg (shown, not added)."
    )


class LegOut(_Out):
    """One leg of a route: a link (rail, ferry, sea, road) or a node operation."""

    from_: str = Field(alias="from")
    to: str
    mode: str
    distance_km: float
    hours: float | _Hours
    cost_usd: float
    co2_kg: float
    cost_usd_range: BandOut | None = None
    cost_breakdown: list[CostItemOut] | None = None
    co2e_kg: Co2eOut | None = None


class RouteOut(_Out):
    """A planned route (deterministic expected-value hours)."""

    corridor: CorridorName
    nodes: list[str]
    legs: list[LegOut]
    distance_km: float
    hours: float
    cost_usd: float
    co2_kg: float
    borders: int
    transshipments: int
    countries: list[str] = Field(
        default_factory=list,
        description="Countries crossed in order (ISO alpha-2); voyages in brackets: "
        "(Caspian), (Black Sea), (Lake Van), (sea).",
    )
    container: Literal[20, 40] | None = None
    cost_usd_range: BandOut | None = None
    co2e_kg: Co2eOut | None = None


class _Place(_Out):
    id: str
    name: str


class RouteListOut(_Out):
    """``corridor route --json``: routes best first."""

    origin: _Place
    destination: _Place
    service: str = "standard"
    year: int | None = None
    scenario: str | None = Field(default=None, description="The scenario planned under, if any.")
    avoid: list[str] = Field(
        default_factory=list,
        description="What the routes avoid: ISO alpha-2 country codes, then place ids.",
    )
    container: Literal[20, 40] | None = None
    routes: list[RouteOut]


class _Days(_Out):
    p10: float
    p50: float
    p90: float
    mean: float


class _OptionRoute(_Out):
    nodes: list[str]
    legs: list[LegOut]


class EventOut(_Out):
    """A dated disruption an option meets."""

    id: str
    kind: str
    title: str
    from_: str = Field(alias="from", description="First day, YYYY-MM-DD.")
    to: str | None = Field(description="Last day, YYYY-MM-DD; null while it goes on.")
    effect: Literal["warn", "omit"]
    sources: list[str]
    note: str


class ServiceRideOut(_Out):
    """One service of a route's chain: block train, truck, ferry, feeder or liner."""

    id: str
    operator: str
    from_: str = Field(alias="from")
    to: str
    frequency_per_week: float | None = Field(
        default=None, description="Departures per week (null: sails when full)."
    )
    mode: str | None = None
    estimate: bool | None = Field(default=None, description="Frequency is an estimate.")
    generic: bool | None = Field(
        default=None, description="No service is known: a generic one is assumed."
    )


class OptionOut(_Out):
    """The best route of one corridor (and main mode) with its sampled door-to-door days."""

    corridor: CorridorName
    mode: Literal["rail", "road", "river", "sea", "ferry"] | None = Field(
        default=None,
        description="The main mode (the one carrying the box furthest); a corridor shows a row "
        "for each main mode that no other row beats (a Yangtze barge beside the train).",
    )
    route: _OptionRoute
    distance_km: float
    days: _Days
    cost_usd_per_feu: float
    co2_kg_per_feu: float
    borders: int
    transshipments: int
    countries: list[str] = Field(
        default_factory=list,
        description="Countries crossed in order (ISO alpha-2); voyages in brackets: "
        "(Caspian), (Black Sea), (Lake Van), (sea).",
    )
    notes: list[str] = Field(
        default_factory=list,
        description="What a forwarder should know about the option: where the box changes "
        "service and how long it waits, stretches without a known service, the corridor's "
        "cheaper or faster candidate, countries re-entered between the via places.",
    )
    services: list[ServiceRideOut] = Field(
        default_factory=list, description="The chain of services the route rides, in order."
    )
    events: list[EventOut] = Field(
        default_factory=list,
        description="Dated disruptions (events.csv) the journey meets between its departure "
        "and its P90 arrival: a war, a storm, a diversion, a congestion; each also gives a "
        "warning line in notes. A closure leaves the option out (see omitted).",
    )
    container: Literal[20, 40] | None = None
    cost_usd: BandOut | None = Field(
        default=None, description="Low / expected / high USD per container."
    )
    co2e_kg: Co2eOut | None = None


class HistogramOut(_Out):
    """Transit-time histograms on shared bins (only with ``histogram=true``)."""

    edges_days: list[float]
    counts: dict[str, list[int]]


class OmittedOut(_Out):
    """A corridor the comparison leaves out, and why: no route, an absurd detour, a
    back-tracking route, a route only by re-entering a country, or not applicable between the
    two places."""

    corridor: CorridorName
    reason: str


class CompareOut(_Out):
    """``corridor compare --json``: one sane option per corridor (always the overall best
    route), fastest median first; the corridors left out under ``omitted``."""

    origin: _Place
    destination: _Place
    depart: str
    samples: int
    seed: int
    avoid: list[str] = Field(
        default_factory=list,
        description="What the routes avoid: ISO alpha-2 country codes, then place ids.",
    )
    service: str = "standard"
    optimize: str = Field(default="time", description="What picked the overall best route.")
    value_of_time_usd_per_h: float | None = Field(
        default=None, description="Value of time in the generalized cost, USD per FEU-hour."
    )
    year: int | None = None
    via: list[str] | None = Field(default=None, description="Places every route passes.")
    scenario: str | None = Field(default=None, description="The scenario compared under.")
    container: Literal[20, 40] | None = None
    options: list[OptionOut]
    omitted: list[OmittedOut] = Field(default_factory=list)
    histogram: HistogramOut | None = None


class PaletteOut(_Out):
    """Hex colours: one per corridor, and the simulation's resource states."""

    corridors: dict[str, str] = Field(examples=[{"middle": "#009e73", "northern": "#d55e00"}])
    resources: dict[str, str] = Field(
        examples=[{"bottleneck": "#c0392b", "capacitated": "#2e86c1", "formation": "#b5b5b5"}]
    )
    modes: dict[str, str] = Field(
        default_factory=dict, description="Modes and operations (map links, where the days go)."
    )
    track: dict[str, str] = Field(default_factory=dict, description="The shipment view.")
    map: dict[str, str] = Field(default_factory=dict, description="Land, borders and water.")
    series: dict[str, str] = Field(
        default_factory=dict, description="A colour cycle for unnamed series, by index."
    )
    fallback: dict[str, str] = Field(default_factory=dict, description="Anything else.")


class ScenarioIn(_In):
    """A scenario to save: its name, a description and the scenario document (YAML as JSON)."""

    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")
    description: str = Field(default="", max_length=2000)
    scenario: dict[str, Any] = Field(
        description="The scenario: base, year, demand, changes (see docs/simulation.md).",
        examples=[{"base": "baseline-2024", "demand": {"scale": 2.0}}],
    )


class ScenarioSummaryOut(_Out):
    """A scenario in the list: bundled (id = name) or saved (id = UUID)."""

    id: str
    name: str
    description: str
    source: Literal["bundled", "saved"]
    created_at: datetime | None = None


class ScenarioOut(ScenarioSummaryOut):
    """A scenario with its document."""

    scenario: dict[str, Any]


class ScenarioListOut(_Out):
    """Bundled scenarios first, then saved ones, newest first."""

    scenarios: list[ScenarioSummaryOut]


class SimulationIn(_In):
    """Start a simulation of a bundled or saved scenario."""

    scenario: str = Field(
        min_length=1,
        max_length=100,
        description="A bundled scenario's name or a saved scenario's id.",
        examples=["baseline-2024"],
    )
    days: int | None = Field(
        default=None,
        ge=1,
        strict=True,  # `true` is not a number of days
        description="Simulated days (default: the scenario's, else 365).",
    )
    seed: int = Field(default=1, ge=0, le=2**31 - 1, strict=True)
    equilibrium: bool = Field(
        default=False,
        description="Let shippers divert to other corridors as this one congests (as `corridor "
        "simulate --equilibrium`): several simulations; the result adds `equilibrium` and "
        "`steady_state`.",
    )


class JobSummaryOut(_Out):
    """A simulation job without its result."""

    id: str
    scenario: str
    scenario_name: str
    days: int
    seed: int
    status: Literal["queued", "running", "succeeded", "failed"]
    progress: float
    error: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class JobOut(JobSummaryOut):
    """A simulation job; ``result`` is the ``corridor simulate --json`` document once succeeded."""

    result: dict[str, Any] | None = None


class JobListOut(_Out):
    """Jobs, newest first."""

    simulations: list[JobSummaryOut]
