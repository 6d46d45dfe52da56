"""What the book's pages, the site extension and the reader notebooks agree on.

The "Check the claim" verdicts of the house style (../shared/STYLE.md), each with the icon
and words its badge shows: never colour alone.
"""

VERDICTS = {
    "holds": ("\u2713", "Holds"),
    "holds narrowly": ("\u2248", "Holds narrowly"),
    "does not hold": ("\u2717", "Does not hold"),
    "cannot be tested": ("?", "Cannot be tested with public data"),
}

# The kind of each source the book cites (bib/source_kinds.csv), as the bibliography and
# each chapter's list of works show it: the word a reader sees, and what it covers. The
# same rule serves both sides of the debate (an advocacy group is one whichever side it
# argues; an outlet is partisan only by its own statement of purpose).
SOURCE_KINDS = {
    "court": ("Court", "a court's opinion, order or docket, or a party's filing in a case"),
    "government": ("Government", ("a statute or bill, an agency's release, data or list, an "
                   "official's own statement, a congressional or inspector-general report")),
    "news": ("News", "a news organisation's own reporting, also when read in a reposted copy"),
    "opinion": ("Opinion", "a signed column, editorial or commentary"),
    "research": ("Research", ("a peer-reviewed study, a university or non-advocacy research "
                 "centre, a pollster's release")),
    "advocacy": ("Advocacy", ("an organisation that campaigns for a position on immigration or "
                 "policing, on either side")),
    "partisan": ("Partisan", ("a party, campaign or caucus, or an outlet whose own statement of "
                 "purpose declares a political side")),
    "reference": ("Reference", "an encyclopedia, a bill tracker or a case summary"),
    "aggregator": ("Aggregator", ("a site that rewrites or summarises others' reporting "
                   "without its own")),
}
SOURCE_KIND = "coop-kind"             # the badge before a work in a list of works

# The page protocol: the names that the Python side writes into pages, the site's script
# (static/coopbook/coopbook.js) reads, and the tests and the benchmark look for. Defined
# here once; coopbook.js spells the same names (a test checks that it does).

# CSS classes
CHART = "coop-chart"                  # a chart's container <div>
LIVE_CHART = "coop-live-chart"        # a chart in a live notebook (vendored Vega)
TABLE = "coop-table"                  # a searchable, sortable table's wrapper
TABLE_DATA = "coop-table-data"        # the JSON <script> a table is drawn from
TABLE_COUNT = "coop-table-count"      # "Showing 1-10 of 57"
STATIC_TABLE = "coop-static-table"    # a plain table that becomes cards on a phone
VERDICT = "coop-verdict"              # a "Check the claim" badge
CHAPTER_REFS = "coop-chapter-refs"    # "Works cited in this chapter"
CITE_GROUP = "coop-cite-group"        # a citation of several works, folded to its first
CITE_REST = "coop-cite-rest"          # the works after the first (behind a "+N" button)
CARD_TABLE = "coop-cards"             # a teaching page's table: cards on a phone, whole on paper
HANDOUT_PAGE = "coop-handout-page"    # the body of a handout (teaching/handouts/), printed larger

# id prefixes
CHART_ID = "coop-chart-"              # + 12 hex digits of the compiled spec's SHA-256
LIVE_ID = "coop-live-"
TABLE_ID = "coop-table-"

# JS globals
CHARTS_QUEUE = "coopCharts"           # [[id, vega spec], ...] queued by each chart's script
DRAW = "coopDraw"                     # draws the queued charts that are (nearly) in view
DRAW_ALL = "coopDrawAll"              # draws them all (before printing; in tests)
VIEWS = "coopViews"                   # {chart id: Vega view} once drawn
TABLES = "coopTables"                 # draws the searchable tables on the page

# Searchable tables show this many rows at a time. A longer table's page carries only its
# first rows; the rest are written to TABLES_DIR/<id>.json and fetched when the reader
# searches, sorts, pages or asks for all rows ("src" and "total" in its JSON).
TABLE_PAGE = 10
TABLES_DIR = "_tables"
