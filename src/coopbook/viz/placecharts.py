"""Charts of one state for its place page: the county map of its 287(g) agreements.

The map carries its own shapes (only the state's counties, cut out of the us-atlas
topology by coopbook.geo.state_counties), so a place page needs no other file.
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd

from .. import geo
from ..analysis import places
from .render import book_html
from .theme import MODEL_COLORS, WIDTH, source_line

# A county with agreements of more than one model is drawn as "Two or more models".
MAP_ORDER = ["JEM", "WSO", "TFM", "Two or more models", "No county agreement"]
MAP_LABELS = {"JEM": "Jail Enforcement Model", "WSO": "Warrant Service Officer",
              "TFM": "Task Force Model", "Two or more models": "Two or more models",
              "No county agreement": "No county agreement"}
MAP_COLORS = [MODEL_COLORS["JEM"], MODEL_COLORS["WSO"], MODEL_COLORS["TFM"], "#CC79A7",
              "#eeeeee"]


def county_map(code: str, name: str, topo: dict, counties: pd.DataFrame) -> alt.LayerChart:
    """The state's counties, shaded by the models of their county-level agreements."""
    shapes = geo.state_counties(topo, geo.FIPS[code])
    ids = [g["id"] for g in shapes["objects"]["counties"]["geometries"]]
    names = {g["id"]: g.get("properties", {}).get("name", "") for g in
             shapes["objects"]["counties"]["geometries"]}
    table = pd.DataFrame({"fips": ids})
    table["county"] = table["fips"].map(names)
    table = table.merge(counties, on="fips", how="left")
    table["kind"] = table["kind"].fillna("No county agreement")
    table["agencies"] = table["agencies"].fillna("none")
    table["label"] = table["kind"].map(MAP_LABELS)
    fmt = alt.DataFormat(type="topojson", feature="counties")
    lookup = alt.LookupData(alt.Data(values=table.to_dict("records")), key="fips",
                            fields=["county", "kind", "label", "agencies"])
    base = alt.Chart(alt.Data(values=shapes, format=fmt)).transform_calculate(
        fips="datum.id").transform_lookup(lookup="fips", from_=lookup)
    width = WIDTH
    fill = base.mark_geoshape(stroke="#ffffff", strokeWidth=0.6).encode(
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=MAP_ORDER,
                                                             range=MAP_COLORS),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=260,
                                          labelExpr="datum.label")),
        tooltip=[alt.Tooltip("county:N", title="County"),
                 alt.Tooltip("label:N", title="County-level agreement"),
                 alt.Tooltip("agencies:N", title="Agencies")],
    )
    held = int((table["kind"] != "No county agreement").sum())
    return fill.project(type="albersUsa" if code not in geo.TERRITORIES else "mercator"
                        ).properties(
        width=width, height=int(width * 0.75),
        title=alt.Title(f"Counties of {name} with a county-level 287(g) agreement",
                        subtitle=[f"{held} of {len(table)} counties, on ICE's newest list.",
                                  source_line("ICE 287(g) list; us-atlas county shapes")]),
        description=(f"Map of the {len(table)} counties of {name}: {held} have a "
                     "county-level 287(g) agreement on ICE's newest list, shaded by model."),
    )


def county_section(code: str, name: str, topo: dict | None) -> str:
    """The county section of a place page (MyST): the map and the agencies beside it."""
    counties = places.county_agreements(code)
    others = places.non_county_agencies(code)
    parts = []
    if topo is not None and code not in geo.TERRITORIES and len(counties):
        parts.append("```{raw} html\n" + book_html(county_map(code, name, topo, counties))
                     + "\n```\n")
    elif len(counties):
        parts.append(f"{len(counties)} counties of {name} have a county-level agreement on "
                     "ICE's newest list.\n")
    else:
        parts.append(f"No county of {name} has a county-level agreement on ICE's newest "
                     "list.\n")
    if len(counties):
        items = "".join(f"<li>{html.escape(r.county)}: {html.escape(r.agencies)}</li>"
                        for r in counties.itertuples())
        parts.append("```{raw} html\n<details class=\"coop-place-list\"><summary>"
                     f"Counties with a county-level agreement: {len(counties)}"
                     f"</summary><ul>{items}</ul></details>\n```\n")
    if len(others):
        items = "".join(f"<li>{html.escape(r.agency)} ({html.escape(r.models)})</li>"
                        for r in others.itertuples())
        parts.append("```{raw} html\n<details class=\"coop-place-list\"><summary>"
                     f"Statewide and city agencies, which the map does not shade: {len(others)}"
                     f"</summary><ul>{items}</ul></details>\n```\n")
    return "\n".join(parts)
