"""Option rule 3: a corridor shows the best route of each main mode that no row beats.

The tiny network (hand-checked) gets a river port Whiskey (ww, CN) 10 km by rail from Bravo
(bb) and a 1,000 km barge line Alpha (aa) - Whiskey beside the 1,000 km railway Alpha - Bravo.
Worked by hand: the train runs 1,000 km at 50 km/h (20 h) and costs 1 USD/km (1,000 USD); the
barge runs 1,000 km at 10 km/h (100 h) and costs ``rate`` USD/km. At 0.2 USD/km (200 USD) the
barge is slower but cheaper, so neither beats the other: a forwarder sees both. At 2 USD/km
(2,000 USD) the barge is slower and dearer: it is not shown.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from corridor.model import Corridor, Mode
from corridor.network import Network, bundled_data_dir, load_network
from corridor.routing import choose_options
from corridor.routing.options import main_mode


def _with_barge(tmp_path: Path, rate: float) -> Network:
    d = tmp_path / "tiny"
    shutil.copytree(bundled_data_dir() / "examples" / "tiny", d)
    with (d / "nodes.csv").open("a", encoding="utf-8") as f:
        f.write("ww,Whiskey,,CN,43.9,80.4,port,,1435,tiny,tiny,river port\n")
    with (d / "operations.csv").open("a", encoding="utf-8") as f:
        f.write("aa,port,6,6,0,20,,tiny,\nww,port,6,6,0,20,,tiny,\n")
    with (d / "profiles.csv").open("a", encoding="utf-8") as f:
        f.write(f"barge,river,10,0,{rate},5,tiny,\n")
    with (d / "links.csv").open("a", encoding="utf-8") as f:
        f.write("aa,ww,river,,1000,source,yes,barge,operational,,,,tiny,\n")
        f.write("ww,bb,rail,1435,10,source,yes,rail_a,operational,,,,tiny,\n")
    return load_network(d)


def test_a_cheaper_slower_barge_gets_a_row_beside_the_train(tmp_path: Path) -> None:
    choice = choose_options(_with_barge(tmp_path, 0.2), "aa", "bb")
    rows = {main_mode(r): r for r in choice.routes}
    assert set(rows) == {Mode.RAIL, Mode.RIVER}
    assert {r.corridor for r in choice.routes} == {Corridor.DIRECT}
    assert rows[Mode.RAIL].nodes == ("aa", "bb")
    assert rows[Mode.RIVER].nodes == ("aa", "ww", "bb")
    assert choice.route_of(Corridor.DIRECT) == rows[Mode.RAIL]  # the fastest row comes first
    assert rows[Mode.RIVER].hours > rows[Mode.RAIL].hours + 80 - 1  # 100 h vs 20 h afloat
    # each row's notes speak of its own mode: the train is not "cheaper via" the barge
    assert not any("cheaper" in n for n in choice.notes_of(rows[Mode.RAIL]))


def test_a_slower_dearer_barge_is_not_shown(tmp_path: Path) -> None:
    choice = choose_options(_with_barge(tmp_path, 2.0), "aa", "bb")
    assert [main_mode(r) for r in choice.routes] == [Mode.RAIL]
