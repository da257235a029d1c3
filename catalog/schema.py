"""The catalog's schema, declared once: what a fresh catalog is.

`catalog/migrations.py` brings a catalog made by an earlier version to this schema, and
a test checks that a migrated catalog's schema equals a fresh one's. Changing anything
here needs a migration step and a new `SCHEMA_VERSION` (see catalog/migrations.py).
"""

# 1: versions, urls, links, pages, tables, runs; 2: tables keep caption, unit, bbox and parsed
# values; 3: decisions, proposals, votes; 4: decisions and decision_state renamed vedtak, vedtak_state;
# 5: the municipality and source of each version (kommune, kommunenummer, source) and URL (source).
# 6: votes keep a warning (a count that disagrees with its parties).
# 7: the budget model's facts and renamings (budget_facts, budget_renamings, budget_state).
SCHEMA_VERSION = 7

SCHEMA = """
CREATE TABLE versions (
    sha256        TEXT PRIMARY KEY,
    doc_id        TEXT NOT NULL UNIQUE,      -- the first 12 hex digits of sha256
    url           TEXT NOT NULL,             -- where this version was first fetched
    size          INTEGER NOT NULL,
    media_type    TEXT NOT NULL,             -- pdf | docx | doc | other
    content_type  TEXT,
    title         TEXT,
    year          INTEGER,                   -- the budget year the document concerns
    period        TEXT,                      -- "2021-2024"
    committee     TEXT,                      -- committee slug
    doctype       TEXT,                      -- doctype slug
    date          TEXT,                      -- ISO date of meeting or publication
    provenance    TEXT NOT NULL DEFAULT '{}',-- JSON: field -> how it was decided
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    superseded_by TEXT,                      -- sha256 of the newer version at the same URL
    status        TEXT NOT NULL DEFAULT 'pending',  -- pending | ok | no_text | failed
    error         TEXT,
    pages         INTEGER,
    ocr_pages     INTEGER NOT NULL DEFAULT 0,
    extracted_at  TEXT,
    index_dirty   INTEGER NOT NULL DEFAULT 1,-- 1 until the index holds this version as it is
    kommune       TEXT,                      -- the municipality's name: "Nordre Follo"
    kommunenummer TEXT,                      -- its number, four digits as text: "3207", "0301"
    source        TEXT                       -- the source (sources/*.toml) that found it: "nordrefollo"
);
CREATE TABLE urls (
    url           TEXT PRIMARY KEY,
    sha256        TEXT,                      -- the current version at this URL
    etag          TEXT,
    last_modified TEXT,
    http_status   INTEGER,
    error         TEXT,                      -- why the last fetch failed, if it did
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,             -- last time the URL answered with a document
    last_checked  TEXT NOT NULL,
    source        TEXT                       -- the source whose crawl asked for it last
);
CREATE TABLE url_versions (
    url        TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    PRIMARY KEY (url, sha256)
);
CREATE TABLE links (
    url         TEXT NOT NULL,               -- the document URL linked to
    source_page TEXT NOT NULL,               -- the page the link stood on
    text        TEXT NOT NULL DEFAULT '',
    context     TEXT NOT NULL DEFAULT '{}',  -- JSON: heading, section, page title, meeting fields
    snapshot    TEXT NOT NULL DEFAULT '',    -- Wayback timestamp if found on an archived page
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    PRIMARY KEY (url, source_page, text, snapshot)
);
CREATE TABLE pages (
    sha256 TEXT NOT NULL,
    page   INTEGER NOT NULL,                 -- 1-based
    text   TEXT NOT NULL,
    ocr    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (sha256, page)
);
CREATE TABLE tables (
    sha256 TEXT NOT NULL,
    page   INTEGER NOT NULL,
    idx    INTEGER NOT NULL,
    header TEXT NOT NULL,                    -- JSON list of strings
    rows   TEXT NOT NULL,                    -- JSON list of lists of strings
    caption     TEXT,                        -- "Tabell 3 Netto driftsrammer" or the heading above
    unit        TEXT,                        -- as printed: "Tall i mill. kroner"
    bbox        TEXT,                        -- JSON [x0, top, x1, bottom] in points
    cell_values TEXT,                        -- JSON: per cell of rows, its amount or null
    PRIMARY KEY (sha256, page, idx)
);
CREATE TABLE runs (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    stage    TEXT NOT NULL,                  -- crawl | extract | index
    started  TEXT NOT NULL,
    finished TEXT,
    stats    TEXT NOT NULL DEFAULT '{}'
);
-- Vedtak (extract/vedtak.py): derived from the pages of protocols ("sak": an agenda item)
-- and adopted budgets ("tekstvedtak": one numbered point), replaced whenever pages are.
CREATE TABLE vedtak (
    sha256         TEXT NOT NULL,
    seq            INTEGER NOT NULL,         -- order in the document
    kind           TEXT NOT NULL,            -- sak | tekstvedtak
    case_no        TEXT,                     -- "152/20"
    archive_case   TEXT,                     -- "20/18211"
    title          TEXT,
    section        TEXT,                     -- tekstvedtak: "Tekstvedtak", "Særskilte vedtak"
    number         INTEGER,                  -- tekstvedtak: the point's number
    recommendation TEXT,
    recommendation_label TEXT,               -- "Kommunedirektørens forslag til vedtak"
    decision       TEXT,
    decision_label TEXT,                     -- "Kommunestyrets vedtak"
    page_from      INTEGER NOT NULL,
    page_to        INTEGER NOT NULL,
    PRIMARY KEY (sha256, seq)
);
CREATE TABLE proposals (
    sha256  TEXT NOT NULL,
    seq     INTEGER NOT NULL,                -- the vedtak's
    idx     INTEGER NOT NULL,
    by_text TEXT NOT NULL,                   -- who, as printed: "H, V og KrF", "Kari Nordmann (MDG)"
    parties TEXT NOT NULL DEFAULT '[]',      -- JSON list of party abbreviations
    text    TEXT NOT NULL,
    page    INTEGER,
    PRIMARY KEY (sha256, seq, idx)
);
CREATE TABLE votes (
    sha256        TEXT NOT NULL,
    seq           INTEGER NOT NULL,          -- the vedtak's
    idx           INTEGER NOT NULL,
    text          TEXT NOT NULL,             -- the statement as printed
    parsed        INTEGER NOT NULL,          -- 0: could not be read; only `text` is set
    motion        TEXT,
    alternative   TEXT,                      -- the other motion of an alternative vote
    result        TEXT,                      -- vedtatt | falt
    votes_for     INTEGER,                   -- NULL where the protocol gives no number
    votes_against INTEGER,
    parties_for   TEXT NOT NULL DEFAULT '[]',-- JSON lists of abbreviations; counts as JSON objects
    parties_against TEXT NOT NULL DEFAULT '[]',
    counts_for    TEXT NOT NULL DEFAULT '{}',
    counts_against TEXT NOT NULL DEFAULT '{}',
    unanimous     INTEGER NOT NULL DEFAULT 0,
    motion_parties TEXT NOT NULL DEFAULT '[]',
    alternative_parties TEXT NOT NULL DEFAULT '[]',
    page          INTEGER,
    warning       TEXT,                      -- parsed, but doubtful as printed: count_mismatch
    PRIMARY KEY (sha256, seq, idx)
);
CREATE TABLE vedtak_state (
    sha256         TEXT PRIMARY KEY,         -- a version whose vedtak are derived
    parser_version INTEGER NOT NULL,         -- by this parser (older: derived again)
    doctype        TEXT,                     -- for this type (changed: derived again)
    derived_at     TEXT NOT NULL
);
-- The budget model (budget/facts.py): every amount of every budget table with its line, year, kind,
-- stage and source; derived from a version's tables, classification and page text, replaced whenever
-- they change (budget_state says from what, by which model).
CREATE TABLE budget_facts (
    sha256    TEXT NOT NULL,
    page      INTEGER NOT NULL,
    tbl       INTEGER NOT NULL,                -- the table's index on its page
    row       INTEGER NOT NULL,
    col       INTEGER NOT NULL,
    family    TEXT NOT NULL,                   -- netto_driftsrammer | hovedtall | drift_1a | … | annet
    table_key TEXT NOT NULL,                   -- the caption without numbering
    caption   TEXT,
    line      TEXT NOT NULL,                   -- the label as a reader says it
    line_key  TEXT NOT NULL,                   -- stems: what matches lines across documents
    printed   TEXT NOT NULL,                   -- the label as printed
    heading   TEXT NOT NULL,                   -- the column header as printed
    year      INTEGER NOT NULL,
    kind      TEXT NOT NULL,                   -- regnskap | budsjett | revidert | plan | prognose | annet
    stage     TEXT NOT NULL,                   -- forslag | innstilling | vedtak | revidert | regnskap | …
    period    TEXT,                            -- the plan period of the stage
    part      TEXT,                            -- blå | hvit: an adopted plan's parts
    rank      TEXT NOT NULL,                   -- plan | repeated | quoted
    text      TEXT NOT NULL,                   -- the cell as printed
    value     REAL NOT NULL,                   -- the number as printed
    unit      TEXT,
    value_kr  REAL,
    PRIMARY KEY (sha256, page, tbl, row, col)
);
CREATE TABLE budget_renamings (
    sha256 TEXT NOT NULL,
    page   INTEGER NOT NULL,
    old    TEXT NOT NULL,
    new    TEXT NOT NULL,
    text   TEXT NOT NULL,                      -- the footnote or label as printed
    PRIMARY KEY (sha256, page, old, new)
);
CREATE TABLE budget_state (
    sha256        TEXT PRIMARY KEY,            -- a version whose facts are derived
    model_version INTEGER NOT NULL,            -- by this model (older: derived again)
    basis         TEXT NOT NULL,               -- its doctype, year and period then (changed: again)
    derived_at    TEXT NOT NULL
);
CREATE INDEX budget_facts_by_line ON budget_facts(line_key);
CREATE INDEX budget_facts_by_period ON budget_facts(period);
CREATE INDEX links_by_url ON links(url);
CREATE INDEX url_versions_by_sha ON url_versions(sha256);
CREATE INDEX versions_by_status ON versions(status);
CREATE INDEX versions_by_kommune ON versions(kommunenummer);
"""
