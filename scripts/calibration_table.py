"""Print the model's door-to-door days next to the corridor-level figures of the facts file.

The figures on the right are *not* inputs of the model (which is built from segment facts only);
this table is how the calibration note compares the two. Run: python scripts/calibration_table.py
"""

from __future__ import annotations

from corridor import compare

# (origin, destination, corridor, reported figure, source)
CASES = [
    ("Xi'an", "Malaszewicze", "northern", "12-14 d", "Navis 2025"),
    (
        "Chongqing",
        "Duisburg",
        "northern",
        "16 d (13-16), 2012-13; 16-18 d 2025",
        "China Daily 2013; Navis 2025",
    ),
    (
        "Xi'an",
        "Duisburg",
        "northern",
        "13 d fast train; 18-20 d China-Germany",
        "index1520 / DHL Jan 2024",
    ),
    ("Urumqi", "Duisburg", "northern", "10 d", "Xinhua 2016"),
    ("Shanghai", "Rotterdam", "maritime", "32 d median direct (port to port)", "GeeseCargo 2025"),
    ("Shanghai", "Poti", "maritime", "35-40 d", "Argus via Report.az"),
    ("Xi'an", "Constanta", "middle", "31-34 d", "Navis 2025 (TITR guidance)"),
    ("Zhengzhou", "Constanta", "middle", "31-34 d", "Navis 2025 (TITR guidance)"),
    ("Xi'an", "Duisburg", "middle", "32-37 d", "Navis 2025 (TITR guidance)"),
    ("Xi'an", "Budapest", "middle", "32-37 d", "Navis 2025 (TITR guidance)"),
    ("Almaty", "Poti", "middle", "20 d (from >30)", "Argus via Report.az, c. 2024"),
    ("Yiwu", "Tehran", "southern", "14 d (first train, 2016)", "Press TV 2016"),
]


def main() -> None:
    print("| origin → destination | corridor | model P10 / P50 / P90 days | reported | source |")
    print("|---|---|---|---|---|")
    for origin, dest, corridor, reported, source in CASES:
        c = compare(origin, dest, depart="2025-04-15", samples=10_000, seed=1)
        option = next((o for o in c.options if o.corridor.value == corridor), None)
        if option is None:
            model = "no route"
        else:
            d = option.days
            model = f"{d.p10:.1f} / {d.p50:.1f} / {d.p90:.1f}"
        print(
            f"| {c.origin.name} → {c.destination.name} | {corridor} | {model} | {reported} "
            f"| {source} |"
        )


if __name__ == "__main__":
    main()
