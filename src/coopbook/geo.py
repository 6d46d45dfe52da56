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


def simplify_topology(topo: dict, factor: int = 20, tolerance: float = 1.5) -> dict:
    """A lighter copy of a quantized TopoJSON for small on-screen maps.

    Coordinates are re-quantized on a grid `factor` times coarser, and each arc is
    simplified (Douglas-Peucker, `tolerance` in grid units) with its end points kept,
    so that borders shared by two states stay shared. Objects and ids are unchanged.
    """
    transform = topo["transform"]
    arcs = []
    for arc in arc_positions(topo):
        points = [(round(x / factor), round(y / factor)) for x, y in arc]
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
        "scale": [s * factor for s in transform["scale"]],
        "translate": transform["translate"],
    }
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
