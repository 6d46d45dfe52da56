"""Read the federal "sanctuary jurisdiction" lists of 2025 (DHS, May; DOJ, August).

DHS list (``dhs-sanctuary-list-2025/``)
=======================================

Three files: a print of DHS's page "Sanctuary Jurisdictions Defying Federal Immigration
Law" (``.pdf``, 2 pages), its extracted text (``.txt``) and a third party's first parse of
that text (``_parsed.csv``: ``state, listed_as, jurisdiction, note``). **The text is the
authority** for which entries exist, their order, the heading each is printed under and
DHS's notes; the CSV is read, verified line by line against the text, and corrected here.

Layout of the text (the print of an accordion page): the list of state headings
(after "Close all Open all"), then the list body (after "Sanctuary Jurisdiction List").
The PDF page break puts the page's footer and header (from "Topics" to "Submit") inside
the body; the rest of the state headings are there (from "Return to top" to "Keywords").
The body ends at the page's "Was this page helpful? Yes / No" buttons ("Yes"). The body
prints the sections in state order but **without the state names**: only headings
(``State``, ``County``/``Counties``, ``Cities``) followed by one entry a line.

Rules, each applied in code and tested:

* ``TEXT-SPACES``: whitespace is normalized (trailing spaces, no-break and narrow
  no-break spaces); blank lines in the body are skipped and counted in the manifest.
* ``PAGE-BREAK``: a line printed on both sides of the PDF page break (the last line
  before the break equals the first after it) is one entry, counted once: in this print,
  "Nicollet County" (Minnesota, text lines 451 and 491). The row's note says so.
* ``SECTIONS``: a heading that does not come after the previous one in the order
  State < County < City starts the next state's section (a repeated "County" after
  "Counties" too: that is where Kansas starts). The text cannot show one boundary, where a
  state with only counties (Nebraska) is followed by one with only cities (Nevada); it is
  given in ``SECTION_STARTS`` with its reason. The sections are then matched, in order,
  to the state headings; their numbers must agree.
* ``NOTES``: a line starting "Self-Identification" or "Court Order" is DHS's note, not a
  jurisdiction. Under ``State`` the entry is the state itself (its name from the state
  heading), with the note; under ``Cities`` this happens only for the District of
  Columbia ("Self-Identification as Local Sanctuary Jurisdiction"). Anywhere else it is
  an error. ``NOTE-AS-NAME``: a CSV row that has the note text as its jurisdiction is
  given the state's name, and the note.
* ``CSV-SPACES``: stray whitespace in a CSV cell is removed (noted on the row).
* ``SPLIT-NAME``: a name printed over two text lines that the CSV has as one name is one
  entry (noted on the row).
* ``WRONG-HEADING``: a CSV row whose ``listed_as`` differs from the heading it is printed
  under in the text takes the text's heading (noted).
* ``WRONG-STATE``: a CSV row whose state differs from its section's state, while the
  other rows printed under the same heading agree with the section, takes the section's
  state (noted). If a whole heading group disagrees the boundary itself is in doubt, and
  the run stops.
* Anything else - a CSV row that is not in the text at that point (a duplicate, say), a
  text entry missing from the CSV, an unknown heading, state, column or ``listed_as`` -
  raises :class:`DataError` naming the file, the row (for the ``.txt``, the line
  number) and the column. Nothing is dropped silently.

On the May 2025 files the CSV agrees with the text entry for entry: none of the fixes
above except ``PAGE-BREAK`` (a text artifact the CSV had already resolved) changes a row.

What the entry count is
-----------------------
The body has 606 list lines under headings: 605 entries plus the page-break repeat.
All **605 are jurisdictions**: 14 ``State`` entries (13 "Self-Identification as a State
Sanctuary Jurisdiction", Rhode Island's "Court Order Requiring State Sanctuary
Requirements"), 391 under county headings and 200 under ``Cities``, one of them the
District of Columbia (printed as its note only). 15 entries therefore are
printed as a note, not a name; their ``jurisdiction`` is the state's (or District's)
name. 36 "states" (35 states and DC) have entries; the most are California (112),
Illinois (104), Colorado (54), Washington (41) and Virginia (32). By ``name_kind``: 391
county, 198 city, 14 state, 1 district, 1 city-county.

``name_kind`` - what the name itself says, rules in this order:

* ``district``: the District of Columbia (a city and a state-equivalent: fits any heading);
* ``state``: a state's name ("California");
* ``city-county``: a county word and a second name joined by "/" ("New Orleans/Orleans
  (Parish)"), a consolidated city and parish: fits County and City;
* ``county``: contains the word County, Parish or Borough ("Athens-Clarke County");
  no entry contains Borough;
* ``city``: everything else - "City of"/"Town of"/"Village of" names, names ending in
  City/Village/Township ("Baltimore City", "Oak Park Village", "Montclair Township") and
  plain place names ("Lawrence"). The name is not checked against a gazetteer: "Represa"
  (California), an unincorporated place, is a ``city`` by this rule.

``label_flag`` is True when DHS's heading does not fit the name: a city's name under a
county heading, a county's name under ``Cities``, a non-state name under ``State`` or a
state's name under a local heading. Flagged rows are DHS's mislabels, kept as printed; the
note says what. On this list: Kansas "Lawrence" (under "County") and Kansas "Douglas
County" (under "Cities") - the city of Lawrence is in Douglas County, the two labels are
swapped. "Baltimore City" is not flagged: an independent city (a county-equivalent for
the Census) but listed, and named, as a city; "Baltimore County" is a separate entry.

DOJ list (``doj-sanctuary-list-2025/``)
=======================================
``doj_sanctuary_list_2025-08-05.csv`` (``level, jurisdiction, state``), transcribed from
the DOJ press release of 5 August 2025: levels State/County/City as given, postal codes,
no blank cells, no duplicates, and a State-level entry must name its own state (the
District of Columbia is one of the 13 State-level entries).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..geo import NAME_BY_POSTAL, normalize_state
from .corrections import Corrections
from .files import Built, manifest_row

DHS_SOURCE = "dhs-sanctuary-list-2025"
DOJ_SOURCE = "doj-sanctuary-list-2025"
DHS_TEXT = "dhs_sanctuary_list_may2025.txt"
DHS_CSV = "dhs_sanctuary_list_2025_parsed.csv"
DHS_PDF = "dhs_sanctuary_list_may2025.pdf"
DOJ_CSV = "doj_sanctuary_list_2025-08-05.csv"
DHS_DATE = dt.date(2025, 5, 29)  # first Internet Archive capture of the page
DOJ_DATE = dt.date(2025, 8, 5)  # DOJ press release

DHS_COLUMNS = ["entry", "state", "state_name", "listed_as", "jurisdiction", "name_kind",
               "label_flag", "note"]
DOJ_COLUMNS = ["entry", "level", "jurisdiction", "state", "state_name"]
LEVELS = ("State", "County", "City")

# Landmarks of the printed page (see the module docstring).
HEADINGS_START = "Close all Open all"
BODY_START = "Sanctuary Jurisdiction List"
BREAK_START = "Topics"
BREAK_END = "Submit"
HEADINGS_RESUME = "Return to top"
HEADINGS_STOP = "Keywords"
BODY_END = "Yes"

# DHS's headings, normalized to listed_as.
HEADINGS = {"State": "State", "County": "County", "Counties": "County", "Cities": "City"}
RANK = {"State": 0, "County": 1, "City": 2}
# Words that look like a heading; one not in HEADINGS is an unknown heading.
HEADING_LIKE = re.compile(
    r"^(States?|Count(y|ies)|Cit(y|ies)|Towns?|Townships?|Villages?|Boroughs?|Parish(es)?"
    r"|Municipalit(y|ies)|Tribes?|Territor(y|ies)|Jurisdictions?)$"
)
NOTE_LINE = re.compile(r"^(Self-Identification|Court Order)\b")

# Section starts the text cannot show (see SECTIONS): state -> (first entry, reason).
SECTION_STARTS = {
    "NV": ("Las Vegas City",
           ("Nebraska's section has only counties and Nevada's only cities, so no heading "
            "goes back in the order State < County < City between them; Las Vegas is in "
            "Nevada")),
}

COUNTY_WORD = re.compile(r"\b(County|Parish|Borough)\b")
# name_kind -> the headings that fit it.
FITS = {
    "district": {"State", "County", "City"},
    "state": {"State"},
    "city-county": {"County", "City"},
    "county": {"County"},
    "city": {"City"},
}
MISLABEL = {
    ("County", "city"): "DHS lists it under a county heading, but the name is a city's",
    ("City", "county"): "DHS lists it under Cities, but the name is a county's",
}


def _spaces(value: object) -> str:
    return " ".join(str(value if value is not None else "").split())


def name_kind(name: str) -> str:
    """What a jurisdiction's name says it is (rules in the module docstring)."""
    code = normalize_state(name)
    if code == "DC":
        return "district"
    if code:
        return "state"
    if COUNTY_WORD.search(name):
        return "city-county" if "/" in name else "county"
    return "city"


def label_note(listed_as: str, kind: str) -> str:
    """Why a heading does not fit a name ("" when it does)."""
    if listed_as in FITS[kind]:
        return ""
    return MISLABEL.get(
        (listed_as, kind),
        f"DHS lists it under {listed_as}, but the name is a {kind}'s",
    ) + "; kept as printed"


# --------------------------------------------------------------------------- the text


@dataclass
class Line:
    """One list line of the DHS text: an entry or a note, under a heading."""

    number: int  # line number in the .txt (1-based)
    heading: str  # the heading as printed ("Counties")
    listed_as: str  # normalized heading
    text: str  # whitespace-normalized
    is_note: bool
    section: int = -1
    group: int = -1  # index of the heading it is printed under
    page_repeat_of: int | None = None  # PAGE-BREAK: line number of the first print


@dataclass
class DhsText:
    states: list[str]  # postal codes, in the order of the state headings
    lines: list[Line]  # list lines in order (page repeats included, marked)
    blank_rows: int = 0
    section_state: list[str] = field(default_factory=list)


def _find(clean: list[str], marker: str, start: int, file: str) -> int:
    try:
        return clean.index(marker, start)
    except ValueError:
        raise DataError(file, f"the text has no line {marker!r} after line {start}: "
                                 "not the expected print of the DHS page") from None


def read_dhs_text(path: Path) -> DhsText:
    """The state headings and list lines of the DHS text, sectioned by state."""
    file = path.name
    try:
        raw_lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(file, f"cannot read the text ({exc})") from None
    clean = [_spaces(v) for v in raw_lines]

    heads_at = _find(clean, HEADINGS_START, 0, file)
    body_at = _find(clean, BODY_START, heads_at, file)
    break_at = _find(clean, BREAK_START, body_at, file)
    resume_at = _find(clean, HEADINGS_RESUME, break_at, file)
    stop_at = _find(clean, HEADINGS_STOP, resume_at, file)
    break_end = _find(clean, BREAK_END, stop_at, file)
    end_at = _find(clean, BODY_END, break_end, file)

    states: list[str] = []
    for i in list(range(heads_at + 1, body_at)) + list(range(resume_at + 1, stop_at)):
        if clean[i] == "":
            continue
        code = normalize_state(clean[i])
        if code is None:
            raise DataError(file, f"not a state heading: {clean[i]!r}", row=i + 1,
                               column="state heading")
        if code in states:
            raise DataError(file, f"state heading repeated: {clean[i]!r}", row=i + 1,
                               column="state heading")
        states.append(code)

    out = DhsText(states, [])
    heading = None
    group = -1
    pages = [range(body_at + 1, break_at), range(break_end + 1, end_at)]
    last_before_break: Line | None = None
    for page_no, page in enumerate(pages):
        first_on_page = True
        for i in page:
            text = clean[i]
            if text == "":
                out.blank_rows += 1
                continue
            if text in HEADINGS:
                heading, group = text, group + 1
                first_on_page = False
                continue
            if HEADING_LIKE.match(text):
                raise DataError(file, f"unknown heading {text!r}", row=i + 1, column="heading")
            if heading is None:
                raise DataError(file, f"entry {text!r} before any heading", row=i + 1,
                                   column="entry")
            line = Line(i + 1, heading, HEADINGS[heading], text, bool(NOTE_LINE.match(text)),
                        group=group)
            if (page_no > 0 and first_on_page and last_before_break is not None
                    and last_before_break.text == text):
                line.page_repeat_of = last_before_break.number
            first_on_page = False
            out.lines.append(line)
        if out.lines:
            last_before_break = out.lines[-1]
    _sections(out, file)
    return out


def _sections(parsed: DhsText, file: str) -> None:
    """Assign each list line to a state (rule SECTIONS)."""
    lines = [ln for ln in parsed.lines if ln.page_repeat_of is None]
    forced_first = {}
    for code, (first, _reason) in SECTION_STARTS.items():
        hits = [ln for ln in lines if ln.text == first]
        if len(hits) != 1:
            raise DataError(file, f"SECTION_STARTS: {first!r} (first entry of "
                                     f"{NAME_BY_POSTAL[code]}) found {len(hits)} times")
        forced_first[hits[0].group] = code
    section, prev_group, prev_rank = -1, None, None
    starts: dict[int, str] = {}
    for ln in lines:
        if ln.group != prev_group:
            rank = RANK[ln.listed_as]
            if prev_rank is None or rank <= prev_rank or ln.group in forced_first:
                section += 1
                if ln.group in forced_first:
                    starts[section] = forced_first[ln.group]
            prev_group, prev_rank = ln.group, rank
        ln.section = section
    for ln in parsed.lines:  # a page repeat belongs where its first print is
        if ln.page_repeat_of is not None:
            ln.section = next(x.section for x in lines if x.number == ln.page_repeat_of)
    if section + 1 != len(parsed.states):
        raise DataError(file, f"the list has {section + 1} sections by its headings but "
                                 f"there are {len(parsed.states)} state headings")
    for sec, code in starts.items():
        if parsed.states[sec] != code:
            raise DataError(file, f"SECTION_STARTS puts {NAME_BY_POSTAL[code]} at section "
                                     f"{sec + 1}, which the headings give to "
                                     f"{NAME_BY_POSTAL[parsed.states[sec]]}")
    parsed.section_state = list(parsed.states)


# --------------------------------------------------------------------------- the CSV

CSV_COLUMNS = ("state", "listed_as", "jurisdiction", "note")


def _read_csv(path: Path, columns: tuple[str, ...]) -> tuple[list[dict], int]:
    """Rows of a small CSV as dicts (with 'row': the file's line number), and blank rows."""
    file = path.name
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            table = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(file, f"cannot read the CSV ({exc})") from None
    if not table:
        raise DataError(file, "the file is empty")
    header = [_spaces(h) for h in table[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(file, f"missing column(s) {missing} in the header row", row=1,
                           column=missing[0])
    extra = [c for c in header if c not in columns]
    if extra:
        raise DataError(file, f"unexpected column(s) {extra} in the header row", row=1,
                           column=extra[0])
    rows, blank = [], 0
    for number, values in enumerate(table[1:], start=2):
        if all(_spaces(v) == "" for v in values):
            blank += 1
            continue
        if len(values) != len(header):
            raise DataError(file, f"{len(values)} cells where the header has {len(header)}",
                               row=number)
        rec = dict(zip(header, values, strict=True))
        rec["row"] = number
        rows.append(rec)
    if not rows:
        raise DataError(file, "the CSV has a header but no rows")
    return rows, blank


@dataclass
class CsvRow:
    row: int
    state: str  # postal code
    listed_as: str
    jurisdiction: str
    note: str
    fixes: list[str] = field(default_factory=list)


def read_dhs_csv(path: Path) -> tuple[list[CsvRow], int]:
    """The third-party parse, checked cell by cell (rule CSV-SPACES applied)."""
    file = path.name
    records, blank = _read_csv(path, CSV_COLUMNS)
    out = []
    for rec in records:
        number = rec["row"]
        code = normalize_state(rec["state"])
        if code is None:
            raise DataError(file, f"not a state: {rec['state']!r}", row=number, column="state")
        listed_as = _spaces(rec["listed_as"])
        if listed_as not in LEVELS:
            raise DataError(file, f"listed_as is not one of {LEVELS}: {rec['listed_as']!r}",
                               row=number, column="listed_as")
        name = _spaces(rec["jurisdiction"])
        if name == "":
            raise DataError(file, "jurisdiction is empty", row=number, column="jurisdiction")
        row = CsvRow(number, code, listed_as, name, _spaces(rec["note"]))
        if name != rec["jurisdiction"]:
            row.fixes.append(f"stray whitespace removed from the name "
                             f"(CSV-SPACES, CSV row {number})")
        out.append(row)
    return out, blank


# --------------------------------------------------------------------------- matching


def _mismatch(text_file: str, csv_file: str, lines: list[Line], i: int,
              rows: list[CsvRow], j: int) -> DataError:
    """The clearest error for a text line and a CSV row that do not match."""
    ln, r = lines[i], rows[j]
    if j > 0 and (r.state, r.listed_as, r.jurisdiction) == (
            rows[j - 1].state, rows[j - 1].listed_as, rows[j - 1].jurisdiction):
        return DataError(csv_file, f"{r.jurisdiction!r} repeats row {rows[j - 1].row}; "
                                      f"the text prints it once (line {lines[i - 1].number})",
                            row=r.row, column="jurisdiction")
    if j + 1 < len(rows) and rows[j + 1].jurisdiction == ln.text:
        return DataError(csv_file, f"{r.jurisdiction!r} is not in the text here (text line "
                                      f"{ln.number} has {ln.text!r})",
                            row=r.row, column="jurisdiction")
    if i + 1 < len(lines) and lines[i + 1].text == r.jurisdiction:
        return DataError(text_file, f"entry {ln.text!r} is missing from {csv_file} "
                                       f"(expected before row {r.row})",
                            row=ln.number, column="entry")
    return DataError(csv_file, f"{r.jurisdiction!r} does not match the text: line "
                                  f"{ln.number} has {ln.text!r}",
                        row=r.row, column="jurisdiction")


def _match(parsed: DhsText, rows: list[CsvRow], text_file: str, csv_file: str) -> list[dict]:
    lines = [ln for ln in parsed.lines if ln.page_repeat_of is None]
    repeats = {ln.page_repeat_of: ln.number for ln in parsed.lines if ln.page_repeat_of}
    out = []
    i = j = 0
    while i < len(lines):
        ln = lines[i]
        code = parsed.section_state[ln.section]
        if j >= len(rows):
            raise DataError(text_file, f"entry {ln.text!r} is missing from {csv_file} "
                                          "(after its last row)", row=ln.number, column="entry")
        r = rows[j]
        fixes = list(r.fixes)
        dhs_note = ""
        consumed = 1
        if ln.is_note:
            if ln.listed_as == "City" and code != "DC":
                raise DataError(text_file, f"a note under Cities outside the District of "
                                              f"Columbia ({NAME_BY_POSTAL[code]}): {ln.text!r}",
                                   row=ln.number, column="entry")
            if ln.listed_as == "County":
                raise DataError(text_file, f"a note under a county heading: {ln.text!r}",
                                   row=ln.number, column="entry")
            name, dhs_note = NAME_BY_POSTAL[code], ln.text
            if r.jurisdiction == name and r.note == ln.text:
                pass
            elif r.jurisdiction == ln.text and r.note in ("", ln.text):
                fixes.append(f"the CSV had the note as the jurisdiction (NOTE-AS-NAME, CSV row "
                             f"{r.row})")
            elif r.jurisdiction == name and r.note == "":
                fixes.append(f"note missing from the CSV, taken from text line {ln.number}")
            else:
                raise DataError(csv_file, f"expected {name!r} with the note {ln.text!r} "
                                             f"(text line {ln.number})",
                                   row=r.row, column="jurisdiction")
        else:
            name = ln.text
            joined = (f"{ln.text} {lines[i + 1].text}"
                      if i + 1 < len(lines) and lines[i + 1].group == ln.group else None)
            if r.jurisdiction == ln.text:
                pass
            elif joined is not None and r.jurisdiction == joined and not lines[i + 1].is_note:
                name, consumed = joined, 2
                fixes.append(f"printed over two lines ({ln.number}-{lines[i + 1].number}), "
                             "joined (SPLIT-NAME)")
            else:
                raise _mismatch(text_file, csv_file, lines, i, rows, j)
            if r.note:
                raise DataError(csv_file, f"a note that the text does not print here "
                                             f"(line {ln.number}): {r.note!r}",
                                   row=r.row, column="note")
        if r.listed_as != ln.listed_as:
            fixes.append(f"the CSV had listed_as {r.listed_as}; the text prints it under "
                         f"{ln.heading!r} (WRONG-HEADING, CSV row {r.row})")
        if r.state != code:
            fixes.append(f"the CSV had it under {NAME_BY_POSTAL[r.state]}; the text prints it "
                         f"in {NAME_BY_POSTAL[code]}'s section (WRONG-STATE, CSV row {r.row})")
        if ln.number in repeats:
            fixes.append(f"printed twice across the PDF page break (text lines {ln.number} "
                         f"and {repeats[ln.number]}), counted once (PAGE-BREAK)")
        out.append({"state": code, "listed_as": ln.listed_as, "jurisdiction": name,
                    "dhs_note": dhs_note, "fixes": fixes, "csv_row": r.row,
                    "csv_state": r.state, "group": ln.group})
        i += consumed
        j += 1
    if j < len(rows):
        r = rows[j]
        raise DataError(csv_file, f"{r.jurisdiction!r} is not in the text (after its last "
                                     "entry)", row=r.row, column="jurisdiction")
    _check_states(out, csv_file)
    return out


def _check_states(matched: list[dict], csv_file: str) -> None:
    """WRONG-STATE is a fix only when the rest of the row's heading group agrees."""
    by_group: dict[int, list[dict]] = {}
    for m in matched:
        by_group.setdefault(m["group"], []).append(m)
    for members in by_group.values():
        wrong = [m for m in members if m["csv_state"] != m["state"]]
        if wrong and len(wrong) * 2 >= len(members):
            m = wrong[0]
            raise DataError(csv_file, f"{m['jurisdiction']!r} is under "
                                         f"{NAME_BY_POSTAL[m['csv_state']]} but the text's "
                                         f"section is {NAME_BY_POSTAL[m['state']]}: a state "
                                         "boundary in doubt", row=m["csv_row"], column="state")


# --------------------------------------------------------------------------- builders


def _manifest_row(source: str, path: Path, kind: str, date: dt.date, rows: int,
                  blank: int, note: str) -> dict:
    return manifest_row(source, path, kind, date=date, date_basis="published", rows=rows,
                        blank_rows=blank, note=note)


def _expect_files(folder: Path, names: tuple[str, ...]) -> None:
    if not folder.is_dir():
        raise DataError(str(folder), "folder not found: is ../shared/data/raw present?")
    present = {p.name for p in folder.iterdir()}
    for name in names:
        if name not in present:
            raise DataError(name, f"missing from {folder}")
    extra = sorted(present - set(names))
    if extra:
        raise DataError(extra[0], f"unexpected file in {folder.name}/")


def build_dhs(folder: Path) -> tuple[pd.DataFrame, list[dict]]:
    """The DHS list (one row per entry, in the list's order) and its manifest rows."""
    folder = Path(folder)
    _expect_files(folder, (DHS_CSV, DHS_PDF, DHS_TEXT))
    parsed = read_dhs_text(folder / DHS_TEXT)
    rows, csv_blank = read_dhs_csv(folder / DHS_CSV)
    csv_states = list(dict.fromkeys(r.state for r in rows))
    matched = _match(parsed, rows, DHS_TEXT, DHS_CSV)
    if set(csv_states) != set(parsed.states):
        gone = sorted(set(parsed.states) - set(csv_states))
        raise DataError(DHS_CSV, f"states in the text's headings but not in the CSV: {gone}",
                           column="state")

    records = []
    for n, m in enumerate(matched, start=1):
        kind = name_kind(m["jurisdiction"])
        mislabel = label_note(m["listed_as"], kind)
        pipeline = ([mislabel] if mislabel else []) + m["fixes"]
        note = m["dhs_note"]
        if pipeline:
            note = (note + " | " if note else "") + "pipeline: " + "; ".join(pipeline)
        records.append({
            "entry": n, "state": m["state"], "state_name": NAME_BY_POSTAL[m["state"]],
            "listed_as": m["listed_as"], "jurisdiction": m["jurisdiction"], "name_kind": kind,
            "label_flag": bool(mislabel), "note": note,
        })
    table = pd.DataFrame.from_records(records, columns=DHS_COLUMNS)
    table["entry"] = table["entry"].astype("int64")
    table["label_flag"] = table["label_flag"].astype(bool)

    repeats = sum(ln.page_repeat_of is not None for ln in parsed.lines)
    fixed = sum(bool(m["fixes"]) and not (len(m["fixes"]) == 1 and "PAGE-BREAK" in m["fixes"][0])
                for m in matched)
    manifest = [
        _manifest_row(DHS_SOURCE, folder / DHS_CSV, "parsed_csv", DHS_DATE, len(rows), csv_blank,
                      f"third-party parse of the text; verified line by line, {fixed} row(s) "
                      "corrected"),
        _manifest_row(DHS_SOURCE, folder / DHS_PDF, "pdf", DHS_DATE, 0, 0,
                      "print of the Internet Archive capture of DHS's page (2 pages)"),
        _manifest_row(DHS_SOURCE, folder / DHS_TEXT, "text", DHS_DATE, len(parsed.lines),
                      parsed.blank_rows,
                      f"text of the print: {len(parsed.states)} state headings, "
                      f"{len(parsed.lines)} list lines ({repeats} repeated across the page "
                      f"break) -> {len(table)} entries"),
    ]
    return table, manifest


def build_doj(folder: Path) -> tuple[pd.DataFrame, list[dict]]:
    """The DOJ list of 5 August 2025 and its manifest row."""
    folder = Path(folder)
    _expect_files(folder, (DOJ_CSV,))
    path = folder / DOJ_CSV
    records, blank = _read_csv(path, ("level", "jurisdiction", "state"))
    out, seen = [], {}
    for n, rec in enumerate(records, start=1):
        number = rec["row"]
        values = {c: _spaces(rec[c]) for c in ("level", "jurisdiction", "state")}
        for column, value in values.items():
            if value == "":
                raise DataError(DOJ_CSV, "empty cell", row=number, column=column)
        if values["level"] not in LEVELS:
            raise DataError(DOJ_CSV, f"level is not one of {LEVELS}: {values['level']!r}",
                               row=number, column="level")
        code = values["state"].upper()
        if code not in NAME_BY_POSTAL:
            raise DataError(DOJ_CSV, f"not a state postal code: {values['state']!r}",
                               row=number, column="state")
        if values["level"] == "State" and normalize_state(values["jurisdiction"]) != code:
            raise DataError(DOJ_CSV, f"a State-level entry that does not name its state "
                                        f"{code}: {values['jurisdiction']!r}",
                               row=number, column="jurisdiction")
        key = (values["jurisdiction"].lower(), code)
        if key in seen:
            raise DataError(DOJ_CSV, f"{values['jurisdiction']!r} ({code}) repeats row "
                                        f"{seen[key]}", row=number, column="jurisdiction")
        seen[key] = number
        out.append({"entry": n, "level": values["level"], "jurisdiction": values["jurisdiction"],
                    "state": code, "state_name": NAME_BY_POSTAL[code]})
    table = pd.DataFrame.from_records(out, columns=DOJ_COLUMNS)
    table["entry"] = table["entry"].astype("int64")
    manifest = [_manifest_row(DOJ_SOURCE, path, "transcribed_csv", DOJ_DATE, len(table), blank,
                              "DOJ press release of 5 Aug 2025, transcribed: "
                              + ", ".join(f"{(table['level'] == lv).sum()} {lv}"
                                          for lv in LEVELS))]
    return table, manifest


TABLES = ("dhs_sanctuary_list", "doj_sanctuary_list")


def build(raw: Path, fixes: Corrections) -> Built:
    """Both federal lists from their raw folders."""
    dhs, dhs_rows = build_dhs(raw / DHS_SOURCE)
    doj, doj_rows = build_doj(raw / DOJ_SOURCE)
    return Built({"dhs_sanctuary_list": dhs, "doj_sanctuary_list": doj}, dhs_rows + doj_rows)
