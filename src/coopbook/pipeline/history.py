"""Every 287(g) agreement across ICE's lists: a stable id, its history, and what changed.

ICE's lists carry no identifiers and no change log. Here an agreement is an agency
times a model within a state, and its id is built from the state, the agency's
normalized name and the model (`tx-lubbock-county-sheriffs-office-jem`), never from a
row number, so the same agreement has the same id on every list and in every build.

* Names are compared after case, apostrophes, periods and other punctuation are
  normalized. Spellings that differ in more than that (typos, word order, a state's
  name prefixed) are folded only through inputs/corrections/agency_aliases.csv, one
  reviewed row per variant with its reason.
* Pairs that might be one agency but are not folded (same state and model, similar
  names, one gone within three lists before the other appears) are written to
  data/qa/identity_review.csv with a verdict: `distinct` when a reviewer kept them
  apart (inputs/corrections/agency_distinct.csv), else `unreviewed`.
* Only in-series lists count: stale, partial and misdated lists never create changes.
* An agreement missing from some lists and listed again later is one agreement with a
  gap (data/ice287g_gaps.csv), not a removal and a new agreement.
"""

from __future__ import annotations

import difflib
import re

import pandas as pd

from ..errors import DataError
from ..geo import NAME_BY_POSTAL
from .corrections import Corrections
from .files import Built
from .qa import check as _check
from .qa import info as _info

TABLES = ("ice287g_agreements", "ice287g_changes", "ice287g_gaps", "identity_review")
MODEL_NAMES = {"JEM": "Jail Enforcement Model", "WSO": "Warrant Service Officer",
               "TFM": "Task Force Model"}
ALIASES = "inputs/corrections/agency_aliases.csv"
# A candidate pair: B first listed at most this many in-series lists after A's last.
NEAR_LISTS = 3
SIMILAR = 0.75


def normalize(name: str) -> str:
    """An agency name compared without case and punctuation ("Sheriff's Office" = "SHERIFFS OFFICE")."""
    text = str(name).lower().replace("&", " and ")
    text = re.sub(r"['\u2019`.]", "", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def agreement_id(state: str, key: str, model: str) -> str:
    return f"{state.lower()}-{key.replace(' ', '-')}-{model.lower()}"


def _aliases(fixes: Corrections) -> dict[tuple, tuple[str, int]]:
    """(state, model or None, normalized variant) -> (normalized canonical, row index).

    A row without a model folds every agreement of that agency; one with a model only that
    agreement (ICE relabelled one agreement, not the agency)."""
    table = fixes.rows("agency_aliases")
    out: dict[tuple, tuple[str, int]] = {}
    for i, row in table.iterrows():
        variant, canonical = normalize(row["variant"]), normalize(row["canonical"])
        if variant == canonical:
            raise DataError(ALIASES, "variant and canonical are the same name once case and "
                            "punctuation are normalized: nothing to fold", row=int(i) + 2,
                            column="variant", value=row["variant"], unit="line")
        model = row["model"] if pd.notna(row["model"]) else None
        out[(row["state"], model, variant)] = (canonical, int(i))
    for (state, model, _), (canonical, i) in out.items():
        if (state, model, canonical) in out or (state, None, canonical) in out:
            raise DataError(ALIASES, "the canonical name is itself listed as a variant: map "
                            "every variant straight to the final spelling", row=i + 2,
                            column="canonical", value=canonical, unit="line")
    return out


def build(series: pd.DataFrame, agreements: dict[str, pd.DataFrame], fixes: Corrections,
          locate=None) -> Built:
    """The history tables from the in-series lists (in time order) and their agreements.

    `locate(state, county)` gives the FIPS code a COUNTY cell names (pipeline.atlas);
    without it the county_fips column is left empty."""
    ids = list(series["list_id"])
    dates = dict(zip(ids, series["date"]))
    last_pos = len(ids) - 1
    rows = pd.concat([agreements[list_id].assign(pos=pos) for pos, list_id in enumerate(ids)],
                     ignore_index=True)

    key = rows["agency"].map({n: normalize(n) for n in pd.unique(rows["agency"])})
    empty = key.eq("")
    if empty.any():
        i = empty.idxmax()
        raise DataError(ids[rows.at[i, "pos"]], "an agency name with no letters or digits",
                        row=int(rows.at[i, "row"]), column="LAW ENFORCEMENT AGENCY",
                        value=rows.at[i, "agency"])
    aliases = _aliases(fixes)
    folded = {}
    for state, k, model in set(zip(rows["state"], key, rows["model"])):
        hit = aliases.get((state, model, k)) or aliases.get((state, None, k))
        if hit:
            folded[(state, k, model)] = hit[0]
            fixes.mark("agency_aliases", hit[1])
    rows["key"] = [folded.get((s, k, m), k) for s, k, m in zip(rows["state"], key, rows["model"])]
    rows["agreement_id"] = [agreement_id(s, k, m)
                            for s, k, m in zip(rows["state"], rows["key"], rows["model"])]

    # ICE sometimes prints the same agreement twice on one list: counted once here, and
    # the repeats are counted in the QA table so that list totals still add up.
    repeated = rows.duplicated(["pos", "agreement_id"])
    repeats_by_list = repeated.groupby(rows["pos"]).sum().reindex(range(len(ids)), fill_value=0)
    rows = rows[~repeated].sort_values(["agreement_id", "pos"], kind="stable")

    grouped = rows.groupby("agreement_id", sort=True)
    first = grouped["pos"].min()
    last = grouped["pos"].max()
    newest = rows.drop_duplicates("agreement_id", keep="last").set_index("agreement_id")
    oldest = rows.drop_duplicates("agreement_id", keep="first").set_index("agreement_id")

    rows["prev"] = grouped["pos"].shift()
    gap = rows[(rows["pos"] - rows["prev"]) > 1]
    gaps = pd.DataFrame({
        "agreement_id": gap["agreement_id"].to_numpy(),
        "missing_from": [ids[int(p) + 1] for p in gap["prev"]],
        "missing_date": [dates[ids[int(p) + 1]] for p in gap["prev"]],
        "back_on": [ids[p] for p in gap["pos"]],
        "back_date": [dates[ids[p]] for p in gap["pos"]],
        "lists_missed": (gap["pos"] - gap["prev"] - 1).astype("int64").to_numpy(),
    })

    table = pd.DataFrame(index=first.index)
    table["state"] = newest["state"]
    table["state_name"] = table["state"].map(NAME_BY_POSTAL)
    for col in ("agency", "agency_type", "county", "model", "signed"):
        table[col] = newest[col]
    table["county_fips"] = _county_fips(newest, locate, ids)
    table["model_name"] = table["model"].map(MODEL_NAMES)
    table["first_list"] = [ids[p] for p in first]
    table["first_date"] = [dates[ids[p]] for p in first]
    table["last_list"] = [ids[p] for p in last]
    table["last_date"] = [dates[ids[p]] for p in last]
    table["lists"] = grouped.size().astype("int64")
    table["gaps"] = gaps.groupby("agreement_id").size().reindex(table.index, fill_value=0)
    table["status"] = ["active" if p == last_pos else "removed" for p in last]
    table["removed_on"] = [None if p == last_pos else ids[p + 1] for p in last]
    table["spellings"] = grouped["agency"].nunique().astype("int64")
    table["signed_changed"] = grouped["signed"].nunique() > 1
    table["county_changed"] = grouped["county"].nunique() > 1
    table["type_changed"] = grouped["agency_type"].nunique() > 1
    table = table.reset_index()

    changes = _changes(table, first, last, ids, dates, last_pos)
    review, review_qa = _review(table, first, last, oldest, fixes)
    qa = _qa(ids, table, changes, gaps, first, last, repeats_by_list, series)
    qa += review_qa
    if locate is not None:
        named = table["county"].notna()
        qa.append(_info("agreements whose COUNTY matches a us-atlas county",
                        "ice287g_agreements", int(table["county_fips"].notna().sum())))
        qa.append(_info("agreements whose COUNTY names no one county (#NA, or a correction says why)",
                        "ice287g_agreements", int((named & table["county_fips"].isna()).sum())))
    qa.append(_info("agency spellings folded by the alias table", ALIASES,
                    len({(s, k) for s, k, _ in folded})))
    return Built({"ice287g_agreements": table, "ice287g_changes": changes,
                  "ice287g_gaps": gaps.sort_values(["missing_date", "agreement_id"])
                  .reset_index(drop=True), "identity_review": review}, [], qa)


def _county_fips(newest: pd.DataFrame, locate, ids: list[str]) -> list[str | None]:
    """The FIPS code of each agreement's county, as its newest list names it."""
    out: list[str | None] = []
    for state, county, pos, row in zip(newest["state"], newest["county"], newest["pos"],
                                       newest["row"]):
        if locate is None or county is None or pd.isna(county):
            out.append(None)
            continue
        try:
            out.append(locate(state, county))
        except LookupError as exc:
            raise DataError(ids[int(pos)], str(exc), row=int(row), column="COUNTY",
                            value=county) from None
    return out


def _changes(table, first, last, ids, dates, last_pos) -> pd.DataFrame:
    info = table.set_index("agreement_id")[["state", "agency", "model", "signed"]]
    records = []
    for aid, p in first.items():
        if p > 0:  # agreements on the archive's first list were there before it began
            records.append((ids[p], ids[p - 1], "added", aid))
    for aid, p in last.items():
        if p < last_pos:
            records.append((ids[p + 1], ids[p], "removed", aid))
    out = pd.DataFrame(records, columns=["list_id", "previous_list", "change", "agreement_id"])
    out = out.join(info, on="agreement_id")
    out.insert(1, "date", out["list_id"].map(dates))
    order = {list_id: n for n, list_id in enumerate(ids)}
    out["_order"] = out["list_id"].map(order)
    out = out.sort_values(["_order", "change", "state", "agency", "model"], kind="stable")
    return out.drop(columns="_order")[["list_id", "date", "previous_list", "change",
                                       "agreement_id", "state", "agency", "model", "signed"]
                                      ].reset_index(drop=True)


def _review(table, first, last, oldest, fixes: Corrections) -> tuple[pd.DataFrame, list[dict]]:
    """Candidate pairs that were not folded, each with its verdict."""
    distinct = fixes.rows("agency_distinct")
    reviewed = {(r.state, r.model, normalize(r.name_a), normalize(r.name_b)): (i, r.reason)
                for i, r in distinct.iterrows()}
    t = table.set_index("agreement_id")
    keys = {aid: normalize(t.at[aid, "agency"]) for aid in t.index}
    records = []
    for (state, model), group in t.groupby(["state", "model"]):
        starts: dict[int, list[str]] = {}
        for aid in group.index:
            starts.setdefault(int(first[aid]), []).append(aid)
        for a in group.index:
            for p in range(int(last[a]) + 1, int(last[a]) + 1 + NEAR_LISTS):
                for b in starts.get(p, []):
                    name_a, name_b = t.at[a, "agency"], oldest.at[b, "agency"]
                    ka, kb = keys[a], normalize(name_b)
                    ratio = difflib.SequenceMatcher(None, ka, kb).ratio()
                    if ratio < SIMILAR and ka not in kb and kb not in ka:
                        continue
                    hit = reviewed.get((state, model, ka, kb))
                    if hit:
                        fixes.mark("agency_distinct", hit[0])
                    records.append({
                        "state": state, "model": model, "name_a": name_a, "name_b": name_b,
                        "a_last_list": t.at[a, "last_list"], "b_first_list": t.at[b, "first_list"],
                        "a_signed": t.at[a, "signed"], "b_signed": oldest.at[b, "signed"],
                        "similarity": round(ratio, 3),
                        "verdict": "distinct" if hit else "unreviewed",
                        "reason": hit[1] if hit else None})
    cols = ["state", "model", "name_a", "name_b", "a_last_list", "b_first_list", "a_signed",
            "b_signed", "similarity", "verdict", "reason"]
    review = pd.DataFrame.from_records(records, columns=cols)
    review = review.sort_values(["state", "model", "name_a", "name_b"]).reset_index(drop=True)
    qa = [_info("candidate pairs kept apart after review", "data/qa/identity_review.csv",
                int(review["verdict"].eq("distinct").sum())),
          _info("candidate pairs not yet reviewed", "data/qa/identity_review.csv",
                int(review["verdict"].eq("unreviewed").sum()))]
    return review, qa


def _qa(ids, table, changes, gaps, first, last, repeats_by_list, series) -> list[dict]:
    n = len(ids)
    present = [0] * n
    for f, la in zip(first, last):
        for p in range(f, la + 1):
            present[p] += 1
    pos = {list_id: p for p, list_id in enumerate(ids)}
    for row in gaps.itertuples():
        for p in range(pos[row.missing_from], pos[row.back_on]):
            present[p] -= 1
    listed = list(series["agreements"].astype("int64"))
    totals = [f"{ids[p]}: {present[p]} + {int(repeats_by_list[p])} repeated != {listed[p]}"
              for p in range(n) if present[p] + int(repeats_by_list[p]) != listed[p]]

    # Replay the change log: agreements on the first list, plus additions, less removals,
    # less those in a gap, must be the agreements on every list.
    added = changes[changes["change"].eq("added")]["list_id"].map(pos).value_counts()
    removed = changes[changes["change"].eq("removed")]["list_id"].map(pos).value_counts()
    open_gaps = [0] * (n + 1)
    for row in gaps.itertuples():
        open_gaps[pos[row.missing_from]] += 1
        open_gaps[pos[row.back_on]] -= 1
    running, in_gap, unexplained = int((first == 0).sum()), 0, []
    for p in range(n):
        running += int(added.get(p, 0)) - int(removed.get(p, 0)) if p else 0
        in_gap += open_gaps[p]
        if running - in_gap != present[p]:
            unexplained.append(f"{ids[p]}: {running - in_gap} != {present[p]}")

    removed_ids = set(changes.loc[changes["change"].eq("removed"), "agreement_id"])
    status = table.set_index("agreement_id")["status"]
    both = sorted(a for a in removed_ids if status[a] == "active")
    silent = sorted(a for a, s in status.items() if s == "removed" and a not in removed_ids)
    twice = changes[changes.duplicated(["agreement_id", "change"])]["agreement_id"].tolist()
    dup_ids = table[table["agreement_id"].duplicated()]["agreement_id"].tolist()
    return [
        _check("agreement ids are unique", "ice287g_agreements", dup_ids),
        _check("agreements on each list plus its repeated rows equal the rows ICE listed",
               "ice287g_agreements / ice287g_lists", totals),
        _check("every list's agreements are explained by the change log",
               "ice287g_changes / ice287g_gaps", unexplained),
        _check("no agreement is both active and removed", "ice287g_agreements / ice287g_changes",
               both + silent),
        _check("each agreement is added at most once and removed at most once",
               "ice287g_changes", twice),
        _info("lists in the series", "ice287g_lists", n),
        _info("agreements ever listed", "ice287g_agreements", len(table)),
        _info("agreements active on the newest list", "ice287g_agreements",
              int(table["status"].eq("active").sum())),
        _info("agreements removed", "ice287g_agreements", int(table["status"].eq("removed").sum())),
        _info("additions after the first list", "ice287g_changes",
              int(changes["change"].eq("added").sum())),
        _info("removals", "ice287g_changes", int(changes["change"].eq("removed").sum())),
        _info("gaps (vanished and came back)", "ice287g_gaps", len(gaps)),
        _info("rows ICE printed twice on one list", "ice287g_lists", int(repeats_by_list.sum())),
        _info("agreements with more than one spelling", "ice287g_agreements",
              int(table["spellings"].gt(1).sum())),
    ]
