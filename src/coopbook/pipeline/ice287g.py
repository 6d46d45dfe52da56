"""Read ICE's 287(g) participating-agency lists (974 .xlsx files) into tidy tables.

One row of an ICE list is one *agreement*: an agency times a support model.
Every cleaning step is here, in code, so that it can be read and tested:

* file names give the date: the publication date for ICE's own spreadsheets,
  the Internet Archive capture time for the archived copies;
* state names are normalized (case, spaces, three typos) and territories flagged;
* the support model is derived from the free text (jail / warrant / task);
* consecutive archive captures with identical content are collapsed into one list;
* lists that cannot be dated from their name are kept but flagged, not dropped.

Hand fixes (malformed file names, known bad lists, agency-type and state-name
typos) are rows of inputs/corrections/, each with its reason. Anything the code
does not recognize stops the run with a DataError that names the file, the row
and the column.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataError, first_bad
from ..geo import NAME_BY_POSTAL, TERRITORIES, normalize_state
from . import history
from .corrections import Corrections
from .files import Built, manifest_row

MODELS = ("JEM", "WSO", "TFM")
MODEL_NAMES = {
    "JEM": "Jail Enforcement Model",
    "WSO": "Warrant Service Officer",
    "TFM": "Task Force Model",
}

REQUIRED = ("STATE", "LAW ENFORCEMENT AGENCY", "SUPPORT TYPE", "SIGNED")
OPTIONAL = ("TYPE", "COUNTY", "MOA", "ADDENDUM")

# ICE's own spreadsheets, named by the archiver with the publication date:
# MMDDYYYY, then the edition (am, pm, mid or none), then an optional second-copy mark.
PUBLISHED = re.compile(
    r"^participatingAgencies(?P<m>\d{2})(?P<d>\d{2})(?P<y>\d{4})"
    r"(?P<edition>am|pm|mid)?(?P<variant>B|_b|2)?\.xlsx$"
)
CAPTURED = re.compile(r"^(?P<prefix>participatingAgencies|ParticipatingEntities)-(?P<ts>\d{14})\.xlsx$")
KIND_OF_PREFIX = {
    "participatingAgencies": "archived_spreadsheet",
    "ParticipatingEntities": "archived_web_table",
}
# Order of editions within one day, for sorting only.
EDITION_HOUR = {"am": 9, "mid": 12, "": 12, "pm": 17}

# ICE's TYPE values, lower case, and the type each names. Other values are read through
# inputs/corrections/agency_types.csv or stop the run.
TYPES = {"county": "County", "municipality": "Municipality", "state agency": "State Agency",
         "": None}


@dataclass
class RawFile:
    """One raw file and what its name says."""

    path: Path
    kind: str
    date: dt.date
    stamp: dt.datetime  # publication day and edition hour, or capture time (UTC)
    edition: str
    variant: str
    sheets: list[str] = field(default_factory=list)
    rows: pd.DataFrame | None = None
    blank_rows: int = 0
    signed_typos: int = 0
    status: str = "ok"
    note: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def date_basis(self) -> str:
        return "published" if self.kind == "ice_published" else "captured"


def parse_name(path: Path, fixes: Corrections) -> RawFile:
    """Kind, date and edition from a raw file's name (or from inputs/corrections/file_names.csv)."""
    name = path.name
    fix = fixes.lookup("file_names", "file", name)
    if fix is not None:
        date, edition = fix["date"].date(), fix["edition"] if pd.notna(fix["edition"]) else ""
        variant = fix["variant"] if pd.notna(fix["variant"]) else ""
        stamp = dt.datetime.combine(date, dt.time(EDITION_HOUR[edition]))
        raw = RawFile(path, "ice_published", date, stamp, edition, variant)
        raw.note = f"malformed name read as {date.isoformat()} {edition}".strip()
        return raw
    m = PUBLISHED.match(name)
    if m:
        try:
            date = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError as exc:
            raise DataError(name, f"the name holds no valid date ({exc})") from None
        edition = m["edition"] or ""
        variant = m["variant"] or ""
        stamp = dt.datetime.combine(date, dt.time(EDITION_HOUR[edition], 1 if variant else 0))
        return RawFile(path, "ice_published", date, stamp, edition, variant)
    m = CAPTURED.match(name)
    if m:
        try:
            stamp = dt.datetime.strptime(m["ts"], "%Y%m%d%H%M%S")
        except ValueError as exc:
            raise DataError(name, f"the capture stamp is not a time ({exc})") from None
        return RawFile(path, KIND_OF_PREFIX[m["prefix"]], stamp.date(), stamp, "", "")
    raise DataError(
        name,
        "unexpected file name: expected participatingAgenciesMMDDYYYY[am|pm|mid].xlsx, "
        "participatingAgencies-YYYYMMDDhhmmss.xlsx or ParticipatingEntities-YYYYMMDDhhmmss.xlsx",
    )


def read_rows(raw: RawFile, fixes: Corrections) -> None:
    """Read the first sheet of a raw file into raw.rows (strings and dates, as found)."""
    import python_calamine  # only the pipeline needs it: a reader's install can do without

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(raw.path))
        raw.sheets = list(book.sheet_names)
        table = book.get_sheet_by_index(0).to_python()
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for broken files
        raise DataError(raw.name, f"not a readable .xlsx workbook ({exc})") from None
    if not table:
        raise DataError(raw.name, "the first sheet is empty")
    header = [str(h).strip().upper() for h in table[0]]
    while header and header[-1] == "":
        header.pop()
    unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
    if unknown:
        raise DataError(raw.name, f"unexpected column(s) {unknown} in the header row", row=1)
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        issue = fixes.lookup("known_issues", "file", raw.name)
        if issue is not None and issue["status"] == "partial":
            raw.status, raw.note = issue["status"], issue["reason"]
            return
        raise DataError(raw.name, f"missing column(s) {missing} in the header row", row=1)
    width = len(header)
    body, numbers = [], []
    for number, r in enumerate(table[1:], start=2):  # spreadsheet row numbers
        r = list(r[:width]) + [""] * (width - len(r))
        if all(v is None or str(v).strip() == "" for v in r):
            raw.blank_rows += 1
            continue
        body.append(r)
        numbers.append(number)
    raw.rows = pd.DataFrame(body, columns=header, dtype=object)
    for col in OPTIONAL:
        if col not in raw.rows:
            raw.rows[col] = None
    raw.rows.insert(0, "row", numbers)
    raw.rows.insert(0, "file", raw.name)
    if raw.rows.empty:
        raise DataError(raw.name, "the list has a header but no rows")


def _first_bad(rows: pd.DataFrame, mask: pd.Series, column: str, what: str) -> None:
    first_bad(mask, rows["file"], what, column=column, values=rows[column], rows=rows["row"],
              unit="row")


NOT_A_DATE = "not a date"  # marks a SIGNED cell that no format reads
UNKNOWN = "unknown"  # marks a TYPE cell that neither TYPES nor a correction reads


def _parse_signed(value: object) -> object:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return pd.NaT
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value.date())
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    text = str(value).strip()
    # ISO dates (the archived web table), U.S. dates, and one U.S. date typed without its
    # second slash ('05/082025' in participatingAgencies05122025amB.xlsx).
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%m/%d%Y"):
        try:
            return pd.Timestamp(dt.datetime.strptime(text, fmt).date())
        except ValueError:
            pass
    return NOT_A_DATE


def _cleaned(series: pd.Series, fn) -> pd.Series:
    """Apply fn once per distinct value (the lists repeat the same strings many times)."""
    mapping = {v: fn(v) for v in pd.unique(series.astype(object))}
    return series.map(mapping)


def _spaces(v: object) -> str:
    return " ".join(str(v if v is not None else "").split())


def tidy(rows: pd.DataFrame, fixes: Corrections) -> pd.DataFrame:
    """Normalize raw rows (of one or many files): one row per agreement.

    `rows` has the raw columns plus `file` and `row` (the spreadsheet row number).
    """
    out = rows[["file", "row"]].copy()

    def state_of(v: object) -> str | None:
        fix = fixes.lookup("state_names", "raw", _spaces(v).upper())
        return normalize_state(fix["state"] if fix is not None else v)

    state = _cleaned(rows["STATE"], state_of)
    _first_bad(rows, state.isna(), "STATE", "not a U.S. state or territory")
    out["state"] = state

    agency = _cleaned(rows["LAW ENFORCEMENT AGENCY"], _spaces)
    _first_bad(rows, agency.eq(""), "LAW ENFORCEMENT AGENCY", "agency name is empty")
    out["agency"] = agency

    def model_of(v: object) -> str | None:
        text = _spaces(v).lower()
        for key, code in (("jail", "JEM"), ("warrant", "WSO"), ("task", "TFM")):
            if key in text:
                return code
        return None

    model = _cleaned(rows["SUPPORT TYPE"], model_of)
    _first_bad(rows, model.isna(), "SUPPORT TYPE", "support type names no known model")
    out["model"] = model

    def type_of(v: object) -> str | None:
        text = _spaces(v).lower()
        if text in TYPES:
            return TYPES[text]
        fix = fixes.lookup("agency_types", "raw", text)
        return UNKNOWN if fix is None else (fix["agency_type"] if pd.notna(fix["agency_type"])
                                            else None)

    kind = _cleaned(rows["TYPE"], type_of)
    _first_bad(rows, kind.eq(UNKNOWN), "TYPE", "unknown agency type")
    out["agency_type"] = kind
    out["county"] = _cleaned(rows["COUNTY"], lambda v: _spaces(v) or None)

    signed = _cleaned(rows["SIGNED"], _parse_signed)
    _first_bad(rows, signed.map(lambda v: v is NOT_A_DATE), "SIGNED", "not a date")
    out["signed"] = pd.to_datetime(signed)
    return out


def content_hashes(agreements: pd.DataFrame) -> dict[str, str]:
    """Per file, a fingerprint of the content, independent of row order and formatting."""
    signed = agreements["signed"].dt.strftime("%Y-%m-%d").fillna("")
    key = agreements["state"] + "|" + agreements["agency"] + "|" + agreements["model"] + "|" + signed
    return {
        file: hashlib.sha256("\n".join(sorted(group)).encode()).hexdigest()
        for file, group in key.groupby(agreements["file"], sort=False)
    }


TABLES = ("ice287g_lists", "ice287g_agreements_latest", "ice287g_list_state_model",
          "ice287g_month_state_model", *history.TABLES)


def build(raw_folder: Path, fixes: Corrections, locate=None) -> Built:
    """Read every raw list and derive the published tables, the history included.

    `locate` names the county of a COUNTY cell (pipeline.atlas.county_locator)."""
    paths = sorted(raw_folder.glob("*"))
    if not paths:
        raise DataError(str(raw_folder), "no files found: is ../shared/data/raw present?")
    files: list[RawFile] = []
    for path in paths:
        if path.suffix.lower() != ".xlsx":
            raise DataError(path.name, "not an .xlsx file")
        raw = parse_name(path, fixes)
        read_rows(raw, fixes)
        files.append(raw)

    readable = [raw for raw in files if raw.rows is not None]
    everything = tidy(pd.concat([raw.rows for raw in readable], ignore_index=True), fixes)
    # A signed date more than a year after the list's own date is a typing error in the
    # cell (one list has 5025-07-07): it becomes missing and is counted in the manifest.
    list_date = pd.to_datetime(everything["file"].map({r.name: r.date for r in readable}))
    typo = everything["signed"] > list_date + pd.DateOffset(years=1)
    typos_by_file = typo.groupby(everything["file"]).sum()
    for raw in readable:
        raw.signed_typos = int(typos_by_file[raw.name])
    everything.loc[typo, "signed"] = pd.NaT
    tidy_by_file = {
        file: frame.drop(columns="file").reset_index(drop=True)
        for file, frame in everything.groupby("file", sort=False)
    }
    hashes = content_hashes(everything)
    newest_signed = everything.groupby("file")["signed"].max()
    for raw in readable:
        newest = newest_signed[raw.name]
        if pd.notna(newest) and newest.date() > raw.date:
            raw.status = "misdated"
            raw.note = (
                f"lists an agreement signed {newest.date().isoformat()}, after the date "
                f"in its name ({raw.date.isoformat()})"
            )
        issue = fixes.lookup("known_issues", "file", raw.name)
        if issue is not None and raw.status == "ok":
            raw.status, raw.note = issue["status"], issue["reason"]

    lists, list_of_file = _collapse(files, tidy_by_file, hashes)
    series = lists[lists["in_series"]].reset_index(drop=True)
    agreements = {row.list_id: tidy_by_file[row.file] for row in series.itertuples()}
    latest = _latest_table(agreements[series["list_id"].iloc[-1]])
    by_list = _list_state_model(lists, agreements)
    monthly = _month_state_model(lists, by_list)
    past = history.build(series, agreements, fixes, locate)
    tables = {"ice287g_lists": lists, "ice287g_agreements_latest": latest,
              "ice287g_list_state_model": by_list, "ice287g_month_state_model": monthly,
              **past.tables}
    return Built(tables, _manifest(files, list_of_file), past.qa)


def _collapse(files, tidy_by_file, hashes) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per distinct list, and the list each readable file belongs to.

    Runs of identical archive captures become one list.

    A run is judged within one kind of capture, so that a list from another source (or a
    misdated one sorted by its wrong date) between two identical captures does not split it.
    """
    records = []
    last_of_kind: dict[str, dict] = {}  # runs are judged within one kind of capture
    for raw in sorted(files, key=lambda r: (r.stamp, r.name)):
        frame = tidy_by_file.get(raw.name)
        prev = last_of_kind.get(raw.kind)
        if (
            frame is not None
            and prev is not None
            and raw.kind != "ice_published"
            and prev["hash"] == hashes[raw.name]
            and prev["status"] == raw.status == "ok"
        ):
            prev["captures"] += 1
            prev["last_seen"] = raw.stamp
            prev["members"].append(raw.name)
            continue
        rec = {
            "kind": raw.kind,
            "file": raw.name,
            "date": raw.date,
            "date_basis": raw.date_basis,
            "stamp": raw.stamp,
            "last_seen": raw.stamp,
            "edition": raw.edition,
            "variant": raw.variant,
            "captures": 1,
            "status": raw.status,
            "note": raw.note,
            "hash": hashes.get(raw.name, ""),
            "members": [raw.name],
        }
        if frame is not None:
            by_model = frame["model"].value_counts()
            states = set(frame["state"])
            rec.update(
                agreements=len(frame),
                **{m.lower(): int(by_model.get(m, 0)) for m in MODELS},
                states=len(states - TERRITORIES),
                territories=len(states & TERRITORIES),
                agencies=frame[["state", "agency"]].drop_duplicates().shape[0],
            )
        records.append(rec)
        last_of_kind[raw.kind] = rec
    for rec in records:
        suffix = rec["edition"] + rec["variant"]
        rec["list_id"] = (
            rec["date"].isoformat() + (f"-{suffix}" if suffix else "")
            if rec["kind"] == "ice_published" else f"{rec['stamp']:%Y-%m-%dT%H%M%S}"
        )
    list_of_file = {name: rec["list_id"] for rec in records for name in rec["members"]}
    lists = pd.DataFrame.from_records(records)
    lists["in_series"] = lists["status"].eq("ok")
    for col in ("agreements", "jem", "wso", "tfm", "states", "territories", "agencies"):
        lists[col] = lists[col].astype("Int64")
    cols = ["list_id", "date", "date_basis", "edition", "variant", "stamp", "last_seen",
            "captures", "kind", "file", "agreements", "jem", "wso", "tfm", "states",
            "territories", "agencies", "status", "in_series", "note", "hash"]
    return lists[cols].rename(columns={"hash": "content_sha256"}), list_of_file


def _latest_table(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.drop(columns="row")
    out.insert(1, "state_name", out["state"].map(NAME_BY_POSTAL))
    out["territory"] = out["state"].isin(TERRITORIES)
    out["model_name"] = out["model"].map(MODEL_NAMES)
    out = out[["state", "state_name", "territory", "agency", "agency_type", "county",
               "model", "model_name", "signed"]]
    return out.sort_values(["state", "agency", "model"], kind="stable").reset_index(drop=True)


def _list_state_model(lists: pd.DataFrame, agreements: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Agreements by state and model on every in-series list."""
    parts = []
    for list_id in lists.loc[lists["in_series"], "list_id"]:
        counts = (agreements[list_id].groupby(["state", "model"]).size()
                  .rename("agreements").reset_index())
        counts.insert(0, "list_id", list_id)
        parts.append(counts)
    out = pd.concat(parts, ignore_index=True)
    out["agreements"] = out["agreements"].astype("int64")
    return out


def _month_state_model(lists: pd.DataFrame, by_list: pd.DataFrame) -> pd.DataFrame:
    """Agreements by state and model on the last in-series list seen in each month.

    A run of identical captures is seen in every month from its first capture to its last,
    so a list archived unchanged from December to February counts for January too.
    """
    seen = []
    for row in lists[lists["in_series"]].itertuples():
        first, last = pd.Timestamp(row.stamp), pd.Timestamp(row.last_seen)
        for month in pd.period_range(first, last, freq="M"):
            until = min(last, month.end_time)
            seen.append((str(month), until, row.list_id))
    seen = pd.DataFrame(seen, columns=["month", "until", "list_id"])
    last = seen.sort_values(["month", "until"]).groupby("month").tail(1)[["month", "list_id"]]
    out = last.merge(by_list, on="list_id", how="left").drop(columns="list_id")
    # One row per month and state, a column per model: the map loads this file, and the
    # wide form is a third smaller than one row per model.
    wide = out.pivot_table(index=["month", "state"], columns="model", values="agreements",
                           aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(MODELS), fill_value=0).astype("int64")
    wide.columns = [m.lower() for m in MODELS]
    wide["agreements"] = wide.sum(axis=1)
    return wide.reset_index().sort_values(["month", "state"]).reset_index(drop=True)


def _manifest(files: list[RawFile], list_of_file: dict[str, str]) -> list[dict]:
    return [manifest_row("ice-287g-lists", raw.path, raw.kind, date=raw.date,
                         date_basis=raw.date_basis, stamp=raw.stamp, sheets=";".join(raw.sheets),
                         rows=0 if raw.rows is None else len(raw.rows),
                         blank_rows=raw.blank_rows, signed_typos=raw.signed_typos,
                         status=raw.status,
                         list_id=list_of_file[raw.name] if raw.rows is not None else "",
                         note=raw.note)
            for raw in sorted(files, key=lambda r: (r.stamp, r.name))]
