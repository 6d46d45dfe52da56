"""Charts of one state for its place page: the county map of its 287(g) agreements.

The map carries its own shapes (only the state's counties, cut out of the us-atlas
topology by coopbook.geo.state_counties), so a place page needs no other file.
"""

from __future__ import annotations

import html
import json

import altair as alt
import pandas as pd

from .. import geo, load
from ..analysis import places
from .render import book_html, book_mode, states_topo
from .theme import MODEL_COLORS, MODEL_LABELS, WIDTH, source_line

# A county with agreements of more than one model is drawn as "Two or more models".
MAP_ORDER = ["JEM", "WSO", "TFM", "Two or more models", "No county agreement"]
MAP_LABELS = {**{m: MODEL_LABELS[m] for m in ("JEM", "WSO", "TFM")},
              "Two or more models": "Two or more models",
              "No county agreement": "No county agreement"}
# The legend's and tooltip's words for each kind, as a Vega expression lookup.
LABELS_JS = json.dumps(MAP_LABELS)
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
    table = table.merge(counties.drop(columns="county"), on="fips", how="left")
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
                                          labelExpr=f"{LABELS_JS}[datum.label]")),
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
    unplaced = places.unplaced_county_agencies(code)
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
    if len(unplaced):
        items = "".join(f"<li>{html.escape(r.agency)} ({html.escape(r.models)}; county as "
                        f"ICE gives it: {html.escape(r.county or 'none')})</li>"
                        for r in unplaced.itertuples())
        parts.append("```{raw} html\n<details class=\"coop-place-list\" open><summary>"
                     f"County-level agencies the map cannot place: {len(unplaced)}</summary>"
                     "<p>A regional jail serves several counties, or ICE's county column "
                     "names no county of the state.</p>"
                     f"<ul>{items}</ul></details>\n```\n")
    if len(others):
        items = "".join(f"<li>{html.escape(r.agency)} ({html.escape(r.models)})</li>"
                        for r in others.itertuples())
        parts.append("```{raw} html\n<details class=\"coop-place-list\"><summary>"
                     f"Statewide and city agencies, which the map does not shade: {len(others)}"
                     f"</summary><ul>{items}</ul></details>\n```\n")
    return "\n".join(parts)


# --- The national county map (chapter 4) -------------------------------------------------

NATIONAL_FILE = "geo/us_counties_287g.topo.json"  # in data/, made by the pipeline
NATIONAL_OBJECT = "models"  # its object: a MultiPolygon per set of models


def national_county_map(as_of: str) -> alt.LayerChart:
    """Counties with a county-level agreement, by model, under the state outlines, with a
    model menu. The file gathers the counties by set of models (light enough for the
    chapter's page), so a tooltip answers for the state: how many of its counties have
    each kind of agreement. `as_of` names the newest list (for the subtitle)."""
    table = places.national_counties()
    fmt = alt.DataFormat(type="topojson", feature=NATIONAL_OBJECT)
    if book_mode():
        shapes = alt.Data(url=f"../data/{NATIONAL_FILE}", format=fmt)
    else:
        shapes = alt.Data(values=load.national_counties_topojson(), format=fmt)
    model = alt.param(
        name="county_model", value="All",
        bind=alt.binding_select(options=["All", "JEM", "WSO", "TFM"],
                                labels=["All models"] + [MODEL_LABELS[m] for m in
                                                         ("JEM", "WSO", "TFM")],
                                name="Model: "))
    order = MAP_ORDER[:-1]
    land = alt.Chart(states_topo()).mark_geoshape(fill="#f2f2f2", stroke=None, aria=False)
    counties = alt.Chart(shapes).transform_calculate(
        models="datum.properties.m",
        kind="indexof(datum.properties.m, ',') >= 0 ? 'Two or more models' "
             ": datum.properties.m",
    ).transform_filter(
        f"{model.name} == 'All' || indexof(split(datum.models, ','), {model.name}) >= 0"
    ).mark_geoshape(stroke="#ffffff", strokeWidth=0.3, aria=False).encode(
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=order, range=MAP_COLORS[:-1]),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=260,
                                          labelExpr=f"{LABELS_JS}[datum.label]")),
    )
    rows = []
    for code, g in table.groupby("state", sort=True):
        kinds = g["kind"].value_counts()
        rows.append({"id": geo.FIPS[code], "name": geo.NAME_BY_POSTAL[code], "n": len(g),
                     "by": "; ".join(f"{MAP_LABELS[k]}: {kinds[k]}" for k in order
                                     if k in kinds)})
    states = alt.Chart(states_topo()).transform_lookup(
        lookup="id", from_=alt.LookupData(alt.InlineData(values=rows), "id",
                                          ["name", "n", "by"]),
        default=None,
    ).transform_calculate(
        state="datum.name || datum.properties.name",
        counties="datum.n ? format(datum.n, ',') + ' (' + datum.by + ')' : 'None'",
    ).mark_geoshape(fill="transparent", stroke="#ffffff", strokeWidth=0.8, aria=False).encode(
        tooltip=[alt.Tooltip("state:N", title="State"),
                 alt.Tooltip("counties:N", title="Counties with a county-level agreement")],
    )
    n = len(table)
    by_kind = table["kind"].value_counts()
    parts = ", ".join(f"{by_kind.get(k, 0):,} {MAP_LABELS[k]}" for k in order)
    return (land + counties + states).add_params(model).project("albersUsa").properties(
        width=WIDTH, height=360,
        title=alt.Title("Counties with a 287(g) agreement",
                        subtitle=[f"{n:,} counties, ICE's list of {as_of}.",
                                  "Pick a model below; tap or point at a state for its count.",
                                  source_line("ICE 287(g) list; us-atlas")]),
        description=(f"Map of the United States showing the {n:,} counties whose sheriff's "
                     f"office or county jail holds a 287(g) agreement on ICE's list of {as_of}, "
                     f"shaded by model ({parts}); a menu shows one model at a time. Each "
                     "state's page maps its counties by name."),
    )
