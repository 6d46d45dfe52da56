"""State laws on cooperation, state by state: what the laws map and chart compute."""

from __future__ import annotations

import pandas as pd

from .. import geo, load

IN_EFFECT = ("in_force", "partly_blocked")
STATE_ONLY = "state agencies only"


def _state_only(live: pd.DataFrame) -> set[str]:
    """States all of whose laws among `live` reach state agencies only."""
    scope = live["state_agencies_only"].astype(bool)
    return set(live.loc[scope, "state"]) - set(live.loc[~scope, "state"])


def bans_state_only(laws: pd.DataFrame) -> set[str]:
    """States whose 287(g) bans in effect all reach state agencies only (Virginia's 2026
    directive, for example): their sheriffs and city police may still sign agreements."""
    return _state_only(laws[laws["status"].isin(IN_EFFECT) & laws["bans_287g"].astype(bool)])


def restricts_state_only(laws: pd.DataFrame) -> set[str]:
    """States whose laws in effect that restrict cooperation all reach state agencies only."""
    return _state_only(laws[laws["status"].isin(IN_EFFECT) & (laws["direction"] == "restricts")])


def state_list(codes, qualified=frozenset(), note: str = STATE_ONLY) -> str:
    """State names in alphabetical order, joined with commas and 'and'; a state in
    `qualified` carries the note in brackets, e.g. 'Virginia (state agencies only)'."""
    out = [f"{geo.NAME_BY_POSTAL[c]} ({note})" if c in qualified else geo.NAME_BY_POSTAL[c]
           for c in sorted(set(codes), key=geo.NAME_BY_POSTAL.get)]
    return out[0] if len(out) == 1 else ", ".join(out[:-1]) + " and " + out[-1]


def local_agreements(agreements: pd.DataFrame, states: set[str]) -> pd.DataFrame:
    """Agreements on an ICE list held by agencies other than state agencies in `states`."""
    local = agreements["agency_type"] != "State Agency"
    return agreements[agreements["state"].isin(states) & local]


def direction_by_state(laws: pd.DataFrame) -> pd.DataFrame:
    """One row per state (50 + DC): the direction of its laws in effect, and which laws.

    Laws repealed, superseded or wholly blocked do not count. A state with laws in
    effect in both directions is 'both'; a state with none in the table is 'none'.
    `bans_state_only` marks a state whose 287(g) bans reach state agencies only.
    """
    live = laws[laws["status"].isin(IN_EFFECT)]
    state_only = bans_state_only(laws)
    rows = []
    for code, name in geo.NAME_BY_POSTAL.items():
        if code in geo.TERRITORIES:
            continue
        mine = live[live["state"] == code]
        kinds = set(mine["direction"])
        direction = "both" if len(kinds) == 2 else (kinds.pop() if kinds else "none")
        rows.append({
            "state": code, "name": name, "direction": direction,
            "mandates_287g": bool(mine["mandates_287g"].any()),
            "bans_287g": bool(mine["bans_287g"].any()),
            "bans_state_only": code in state_only,
            "laws": "; ".join(f"{r.law} ({r.year})" for r in mine.itertuples()) or "none",
        })
    return pd.DataFrame(rows)


def centroids() -> pd.DataFrame:
    """Label points (lon, lat) for each state: the centroid of its largest polygon."""
    topo = load.states_topojson()
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = [[(x * sx + tx, y * sy + ty) for x, y in arc] for arc in geo.arc_positions(topo)]

    def ring(indexes):
        pts = []
        for i in indexes:
            seg = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(seg if not pts else seg[1:])
        return pts

    def area_centroid(pts):
        a = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]):
            cross = x1 * y2 - x2 * y1
            a += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        return abs(a) / 2, (cx / (3 * a), cy / (3 * a)) if a else pts[0]

    out = []
    for g in topo["objects"]["states"]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        best = max((area_centroid(ring(p[0])) for p in polys), key=lambda t: t[0])
        out.append({"fips": g["id"], "lon": best[1][0], "lat": best[1][1]})
    frame = pd.DataFrame(out)
    frame["state"] = frame["fips"].map({v: k for k, v in geo.FIPS.items()})
    return frame.dropna(subset=["state"])
