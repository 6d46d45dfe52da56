"""U.S. states and territories: names, postal codes and FIPS codes.

The FIPS codes are the Census Bureau's two-digit state codes, the same ids
that the us-atlas TopoJSON uses for its state shapes.
"""

from __future__ import annotations

from itertools import pairwise

# name: (postal code, FIPS code, is a territory)
STATES: dict[str, tuple[str, str, bool]] = {
    "ALABAMA": ("AL", "01", False),
    "ALASKA": ("AK", "02", False),
    "ARIZONA": ("AZ", "04", False),
    "ARKANSAS": ("AR", "05", False),
    "CALIFORNIA": ("CA", "06", False),
    "COLORADO": ("CO", "08", False),
    "CONNECTICUT": ("CT", "09", False),
    "DELAWARE": ("DE", "10", False),
    "DISTRICT OF COLUMBIA": ("DC", "11", False),
    "FLORIDA": ("FL", "12", False),
    "GEORGIA": ("GA", "13", False),
    "HAWAII": ("HI", "15", False),
    "IDAHO": ("ID", "16", False),
    "ILLINOIS": ("IL", "17", False),
    "INDIANA": ("IN", "18", False),
    "IOWA": ("IA", "19", False),
    "KANSAS": ("KS", "20", False),
    "KENTUCKY": ("KY", "21", False),
    "LOUISIANA": ("LA", "22", False),
    "MAINE": ("ME", "23", False),
    "MARYLAND": ("MD", "24", False),
    "MASSACHUSETTS": ("MA", "25", False),
    "MICHIGAN": ("MI", "26", False),
    "MINNESOTA": ("MN", "27", False),
    "MISSISSIPPI": ("MS", "28", False),
    "MISSOURI": ("MO", "29", False),
    "MONTANA": ("MT", "30", False),
    "NEBRASKA": ("NE", "31", False),
    "NEVADA": ("NV", "32", False),
    "NEW HAMPSHIRE": ("NH", "33", False),
    "NEW JERSEY": ("NJ", "34", False),
    "NEW MEXICO": ("NM", "35", False),
    "NEW YORK": ("NY", "36", False),
    "NORTH CAROLINA": ("NC", "37", False),
    "NORTH DAKOTA": ("ND", "38", False),
    "OHIO": ("OH", "39", False),
    "OKLAHOMA": ("OK", "40", False),
    "OREGON": ("OR", "41", False),
    "PENNSYLVANIA": ("PA", "42", False),
    "RHODE ISLAND": ("RI", "44", False),
    "SOUTH CAROLINA": ("SC", "45", False),
    "SOUTH DAKOTA": ("SD", "46", False),
    "TENNESSEE": ("TN", "47", False),
    "TEXAS": ("TX", "48", False),
    "UTAH": ("UT", "49", False),
    "VERMONT": ("VT", "50", False),
    "VIRGINIA": ("VA", "51", False),
    "WASHINGTON": ("WA", "53", False),
    "WEST VIRGINIA": ("WV", "54", False),
    "WISCONSIN": ("WI", "55", False),
    "WYOMING": ("WY", "56", False),
    "AMERICAN SAMOA": ("AS", "60", True),
    "GUAM": ("GU", "66", True),
    "NORTHERN MARIANA ISLANDS": ("MP", "69", True),
    "PUERTO RICO": ("PR", "72", True),
    "U.S. VIRGIN ISLANDS": ("VI", "78", True),
}

POSTAL = {name: code for name, (code, _, _) in STATES.items()}
FIPS = {code: fips for code, fips, _ in STATES.values()}
NAME_BY_POSTAL = {code: name.title().replace(" Of ", " of ") for name, (code, _, _) in STATES.items()}
TERRITORIES = {code for code, _, is_territory in STATES.values() if is_territory}


def normalize_state(raw: object) -> str | None:
    """Return the postal code for a state name (any case and spacing), or None if unknown.

    Misspellings in ICE's lists are read through inputs/corrections/state_names.csv."""
    return POSTAL.get(" ".join(str(raw).split()).upper())


def lookup_state(text: str) -> str:
    """Postal code for a state typed by a reader (name or code, any case).

    Raises KeyError with a message that names the input and suggests close matches.
    """
    cleaned = " ".join(str(text).split()).upper()
    if cleaned in NAME_BY_POSTAL:
        return cleaned
    code = normalize_state(cleaned)
    if code:
        return code
    import difflib

    names = list(STATES)
    close = difflib.get_close_matches(cleaned, names, n=3, cutoff=0.6)
    hint = f" Did you mean: {', '.join(n.title() for n in close)}?" if close else ""
    raise KeyError(f"{text!r} is not a U.S. state, territory or postal code.{hint}")


def arc_positions(topo: dict) -> list[list[tuple[int, int]]]:
    """The arcs of a quantized TopoJSON as absolute grid positions (deltas summed)."""
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x, y))
        arcs.append(points)
    return arcs


def simplify_topology(topo: dict, factor: int | tuple[int, int] = 20,
                      tolerance: float = 1.5) -> dict:
    """A lighter copy of a quantized TopoJSON for small on-screen maps.

    Coordinates are re-quantized on a grid `factor` times coarser (or (x, y) times: the
    us-atlas grid is four times finer in latitude than in longitude), and each arc is
    simplified (Douglas-Peucker, `tolerance` in grid units) with its end points kept,
    so that borders shared by two states stay shared. Objects and ids are unchanged.
    """
    transform = topo["transform"]
    fx, fy = (factor, factor) if isinstance(factor, int) else factor
    arcs = []
    for arc in arc_positions(topo):
        points = [(round(x / fx), round(y / fy)) for x, y in arc]
        kept = _douglas_peucker(points, tolerance)
        deduped = [kept[0]] + [p for prev, p in pairwise(kept) if p != prev]
        if len(deduped) < 2:
            deduped = [kept[0], kept[-1]]
        encoded, px, py = [], 0, 0
        for qx, qy in deduped:
            encoded.append([qx - px, qy - py])
            px, py = qx, qy
        arcs.append(encoded)
    out = dict(topo)
    out["arcs"] = arcs
    out["transform"] = {
        "scale": [transform["scale"][0] * fx, transform["scale"][1] * fy],
        "translate": transform["translate"],
    }
    return out


def ring_area(positions: list[list[tuple[int, int]]], ring: list[int]) -> float:
    """Twice the signed planar area of a TopoJSON ring (arc indexes, ~i for arc i reversed)
    on its grid: negative for a clockwise ring, as exterior rings are (d3-geo), positive
    for a hole, zero for one that has collapsed."""
    points: list[tuple[int, int]] = []
    for i in ring:
        arc = positions[i] if i >= 0 else positions[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(points + points[:1]))


def drop_collapsed(topo: dict, name: str) -> dict:
    """Simplifying can flatten a tiny polygon (an islet, a sliver) to a line or turn its
    ring inside out, and d3-geo then fills the whole globe with it. This copy of object
    `name` keeps only the polygons whose exterior ring still runs clockwise, and the holes
    that still run the other way; a geometry with no polygon left is kept with none."""
    positions = arc_positions(topo)
    geometries = []
    for g in topo["objects"][name]["geometries"]:
        g = dict(g)
        if g["type"] in ("Polygon", "MultiPolygon"):
            polygons = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
            kept = [[p[0]] + [h for h in p[1:] if ring_area(positions, h) > 0]
                    for p in polygons if ring_area(positions, p[0]) < 0]
            g["type"], g["arcs"] = "MultiPolygon", kept
        geometries.append(g)
    out = dict(topo)
    out["objects"] = {**topo["objects"], name: {**topo["objects"][name],
                                                 "geometries": geometries}}
    return out


def _douglas_peucker(points: list[tuple[int, int]], tolerance: float) -> list[tuple[int, int]]:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        worst, index = -1.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if norm == 0:
                d = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


# --- Counties ---------------------------------------------------------------------------
# The us-atlas county ids are five-digit FIPS codes: the state's two digits, then the
# county's three. Virginia's independent cities (and Baltimore city, St. Louis city) share
# a name with a county and have county codes of 500 and above.

COUNTY_WORDS = ("city and borough", "census area", "municipality", "municipio", "county",
                "parish", "borough")


def county_key(name: object) -> str:
    """A county's name reduced for matching: case, punctuation, "Saint"/"St." and the
    words "County", "Parish", "Borough" (and the like) do not count."""
    text = str(name).lower().replace("\u2019", "'").replace("&", " and ")
    text = "".join(ch if ch.isalnum() or ch in " '-" else " " for ch in text)
    words = text.replace("-", " ").replace("'", "").split()
    words = ["st" if w in ("saint", "st") else "ste" if w in ("sainte", "ste") else w
             for w in words]
    text = " ".join(words)
    for word in COUNTY_WORDS:
        text = (" " + text + " ").replace(f" {word} ", " ").strip()
    return " ".join(text.split())


def county_index(topo: dict) -> dict[tuple[str, str], list[str]]:
    """(state FIPS, county_key(name)) -> the county ids with that name in the topology."""
    out: dict[tuple[str, str], list[str]] = {}
    for g in topo["objects"]["counties"]["geometries"]:
        name = g.get("properties", {}).get("name", "")
        out.setdefault((g["id"][:2], county_key(name)), []).append(g["id"])
    return out


def match_county(index: dict, state_fips: str, text: str) -> str | None:
    """The county id that a county name written in a list means, or None if none has
    that name. Where a county and an independent city share the name (Baltimore, St.
    Louis, Fairfax, Richmond...), "City" in the text picks the city, otherwise the county."""
    key = county_key(text)
    wants_city = False
    if (state_fips, key) not in index and key.endswith(" city"):
        key, wants_city = key[:-5], True
    ids = index.get((state_fips, key), [])
    if len(ids) <= 1:
        return ids[0] if ids else None
    picked = [i for i in ids if (int(i[2:]) >= 500) == wants_city]
    return picked[0] if len(picked) == 1 else None


def subset(topo: dict, name: str, keep) -> dict:
    """A topology with only the geometries of object `name` whose id passes `keep`,
    and only the arcs they use (re-indexed). The transform is kept."""
    used: list[int] = []
    remap: dict[int, int] = {}

    def walk(arcs):
        if isinstance(arcs, list):
            return [walk(a) for a in arcs]
        i = arcs if arcs >= 0 else ~arcs
        if i not in remap:
            remap[i] = len(used)
            used.append(i)
        return remap[i] if arcs >= 0 else ~remap[i]

    geometries = [dict(g, arcs=walk(g["arcs"])) for g in topo["objects"][name]["geometries"]
                  if keep(g["id"])]
    return {"type": "Topology", "transform": topo["transform"],
            "arcs": [topo["arcs"][i] for i in used],
            "objects": {name: {"type": "GeometryCollection", "geometries": geometries}}}


def _rings(geometry: dict) -> list[list[int]]:
    if geometry["type"] == "Polygon":
        return geometry["arcs"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["arcs"] for ring in polygon]
    return []


def merge_arcs(topo: dict) -> dict:
    """The same shapes with fewer arcs: two arcs are joined where every ring that uses
    one passes straight on to the other (a node no other used arc touches), so that a
    subset of counties keeps only the joints it needs. Arcs stay shared."""
    rings = [ring for obj in topo["objects"].values() for g in obj["geometries"]
             for ring in _rings(g)]
    # Signed arcs: a >= 0 read forward, ~a read backward. A ring "a, b" means a then b,
    # and also ~b then ~a.
    succ: dict[int, set[int]] = {}
    pred: dict[int, set[int]] = {}
    for ring in rings:
        for k, a in enumerate(ring):
            b = ring[(k + 1) % len(ring)]
            for s, t in ((a, b), (~b, ~a)):
                succ.setdefault(s, set()).add(t)
                pred.setdefault(t, set()).add(s)

    def base(a: int) -> int:
        return a if a >= 0 else ~a

    def joined_after(s: int) -> int | None:
        nexts = succ.get(s, set())
        if len(nexts) == 1:
            (t,) = nexts
            if base(t) != base(s) and pred.get(t) == {s}:
                return t
        return None

    positions = arc_positions(topo)
    chains: dict[int, tuple[int, bool]] = {}  # old arc -> (new arc, read backward in it)
    merged: list[list[tuple[int, int]]] = []

    def chain_from(s: int) -> None:
        new, points = len(merged), []
        while s is not None and base(s) not in chains:
            seq = positions[s] if s >= 0 else positions[~s][::-1]
            points += seq if not points else seq[1:]
            chains[base(s)] = (new, s < 0)
            s = joined_after(s)
        merged.append(points)

    heads = [s for s in sorted(succ, key=lambda a: (base(a), a < 0))
             if not any(joined_after(p) == s for p in pred.get(s, ()))]
    for s in heads:
        if base(s) not in chains:
            chain_from(s)
    for i in range(len(positions)):
        if i not in chains:
            chain_from(i)

    def rewrite(ring: list[int]) -> list[int]:
        out: list[int] = []
        for a in ring:
            new, backward = chains[base(a)]
            signed = new if (a >= 0) != backward else ~new
            if not out or out[-1] != signed:
                out.append(signed)
        while len(out) > 1 and out[0] == out[-1]:
            out.pop()
        return out

    objects = {}
    for name, obj in topo["objects"].items():
        geoms = []
        for g in obj["geometries"]:
            g = dict(g)
            if g["type"] == "Polygon":
                g["arcs"] = [rewrite(r) for r in g["arcs"]]
            elif g["type"] == "MultiPolygon":
                g["arcs"] = [[rewrite(r) for r in poly] for poly in g["arcs"]]
            geoms.append(g)
        objects[name] = dict(obj, geometries=geoms)
    return {"type": "Topology", "transform": topo["transform"], "objects": objects,
            "arcs": [_encode(points) for points in merged]}


def _encode(points: list[tuple[int, int]]) -> list[list[int]]:
    encoded, px, py = [], 0, 0
    for x, y in points:
        encoded.append([x - px, y - py])
        px, py = x, y
    return encoded


def state_counties(topo: dict, state_fips: str, cells: int = 600) -> dict:
    """The counties of one state as a small topology of their own: only the arcs they
    use, joined where nothing else meets them, and re-quantized so that the state's
    east-west span is about `cells` grid steps (Alaska's span is measured east of the
    180th meridian, which its western Aleutians cross)."""
    shapes = merge_arcs(subset(topo, "counties", lambda gid: gid[:2] == state_fips))
    (sx, _), (tx, _) = topo["transform"]["scale"], topo["transform"]["translate"]
    xs = [x for arc in arc_positions(shapes) for x, _ in arc]
    west = [x for x in xs if x * sx + tx < 0]
    xs = west or xs
    if not xs:
        return shapes
    return simplify_topology(shapes, factor=max(1, round((max(xs) - min(xs)) / cells)),
                             tolerance=1.0)
