"""Schema migrations, applied in order and recorded in `_sqlite_migrations`.

A schema change is always a new step at the end of this file, never an edit
of an old one: databases in the wild have already run the old steps.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("claims")
STEPS: list[str] = []


def step(function):
    """Register a schema step (applied in the order of this file) and remember its name."""
    STEPS.append(function.__name__)
    return migrations()(function)

STATUSES = [
    ("unconfirmed", "Asserted by someone, not yet confirmed or refuted by an independent or authoritative source."),
    ("corroborated", "Supported by more than one independent source, but not confirmed by the party concerned."),
    ("confirmed", "Confirmed by the party concerned or by conclusive evidence."),
    ("disputed", "Challenged by a credible party; the evidence is contested."),
    ("denied", "Denied by the party concerned; not shown false by independent evidence."),
    ("false", "Shown to be untrue by evidence."),
    ("retracted", "Withdrawn by whoever asserted it, or withdrawn from the record."),
]

ROLES = [
    ("asserts", "asserted_by", "Makes the claim (the original speaker or author)."),
    ("relays", "relayed_by", "Reports or repeats the claim without endorsing it."),
    ("confirms", "confirmed_by", "Says the claim is true."),
    ("denies", "denied_by", "Says the claim is untrue."),
    ("not-confirmed", "not_confirmed_by", "Was in a position to confirm and has not."),
    ("disputes", "disputed_by", "Challenges the claim without denying it outright."),
]
# The `claims add` option naming the actors of each role (--by Seoul asserts).
ROLE_OPTIONS = {
    "by": "asserts",
    "via": "relays",
    "confirmed_by": "confirms",
    "denied_by": "denies",
    "not_confirmed_by": "not-confirmed",
    "disputed_by": "disputes",
}
# An actor takes at most one of these positions on a claim: a new one supersedes the earlier (kept in revisions).
STANCE_ROLES = ("confirms", "denies", "not-confirmed", "disputes")

ACTOR_KINDS = [
    ("government", "A state, its government, ministries or officials speaking for it."),
    ("state-media", "A news outlet controlled by a state, e.g. KCNA or TASS."),
    ("intelligence", "An intelligence or security service."),
    ("military", "Armed forces or a military command."),
    ("media", "An independent news outlet or agency."),
    ("person", "An individual speaking for themselves."),
    ("organisation", "An NGO, company, international body or other organisation."),
    ("other", "Anyone who fits none of the other kinds."),
]

QUALIFIERS = [
    ("exact", "Exactly this number (low = high)."),
    ("about", "Approximately this number (low = high)."),
    ("more_than", "Strictly more than `low`."),
    ("at_least", "`low` or more."),
    ("less_than", "Strictly less than `high`."),
    ("up_to", "`high` or less."),
    ("range", "Between `low` and `high`."),
]

# How one report of a claim relates to another (`claims link ID OTHER --as RELATION`).
LINK_RELATIONS = [
    ("same", "The same claim, reported again (in another source, outlet or language): one claim, many reports."),
    ("updates", "A newer version of the other claim: the same measure or assertion by the same side, revised."),
    ("contradicts", "Cannot be true together with the other claim: a denial, a very different figure."),
]

APPEND_ONLY_TABLES = ["status_changes", "revisions", "purges", "actor_changes", "claim_links", "source_changes"]
FTS_COLUMNS = ["text", "translation"]
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"
FTS_TRIGGERS = ["claims_ai", "claims_ad", "claims_au"]


def append_only_triggers(table: str) -> dict[str, str]:
    """Name and SQL of the triggers (as of the latest migration) that refuse UPDATE and DELETE on `table`.

    A claim's rows may only be deleted once its purge is logged in `purges`
    (`claims delete --purge`); the purge log itself can never be changed.
    """
    purge_logged = (
        " WHEN NOT EXISTS (SELECT 1 FROM purges WHERE purges.claim_id = OLD.claim_id)"
        if table not in ("purges", "actor_changes", "source_changes")
        else ""
    )
    message = f"'{table} is append-only: rows cannot be changed or deleted'"
    return {
        f"{table}_no_update": f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, {message}); END",
        f"{table}_no_delete": f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}{purge_logged} BEGIN SELECT RAISE(ABORT, {message}); END",
    }


def _lookup(db: Database, table: str, rows: list[dict]) -> None:
    db[table].insert_all(rows, pk="name")


@step
def m001_initial(db: Database):
    """Sources, actors, claims, attributions, status history and figures."""
    _lookup(db, "statuses", [{"name": n, "meaning": m, "rank": i} for i, (n, m) in enumerate(STATUSES)])
    _lookup(
        db,
        "roles",
        [{"name": n, "claims_column": c, "meaning": m, "rank": i} for i, (n, c, m) in enumerate(ROLES)],
    )
    _lookup(db, "actor_kinds", [{"name": n, "meaning": m} for n, m in ACTOR_KINDS])
    _lookup(db, "qualifiers", [{"name": n, "meaning": m} for n, m in QUALIFIERS])

    db["sources"].create(
        {
            "id": int,
            "title": str,
            "url": str,
            "outlet": str,
            "published": str,
            "language": str,
            "created_at": str,
        },
        pk="id",
        not_null={"title", "created_at"},
    )
    db["sources"].create_index(["url"], unique=True)
    db["sources"].create_index(["outlet"])

    db["actors"].create(
        {"id": int, "name": str, "kind": str, "country": str, "created_at": str},
        pk="id",
        not_null={"name", "kind", "created_at"},
        foreign_keys=[("kind", "actor_kinds", "name")],
    )
    db["actors"].create_index(["name"], unique=True)
    db["actor_aliases"].create(
        {"id": int, "actor_id": int, "alias": str, "match_key": str},
        pk="id",
        not_null={"actor_id", "alias", "match_key"},
        foreign_keys=[("actor_id", "actors", "id")],
    )
    db["actor_aliases"].create_index(["match_key"], unique=True)
    db["actor_aliases"].create_index(["actor_id"])

    claim_columns = {
        "id": int,
        "text": str,
        "translation": str,
        "language": str,
        "is_quote": int,
        "source_id": int,
        "said_on": str,
        "status": str,
        "notes": str,
    }
    claim_columns.update({column: str for _, column, _ in ROLES})
    claim_columns.update({"created_at": str, "updated_at": str, "status_changed_at": str})
    db["claims"].create(
        claim_columns,
        pk="id",
        not_null={"text", "is_quote", "source_id", "status", "created_at", "updated_at"}
        | {column for _, column, _ in ROLES},
        defaults={"is_quote": 0, "status": "unconfirmed"} | {column: "[]" for _, column, _ in ROLES},
        foreign_keys=[("source_id", "sources", "id"), ("status", "statuses", "name")],
    )
    db["claims"].create_index(["source_id", "text"], unique=True)
    db["claims"].create_index(["status"])
    db["claims"].create_index(["said_on"])
    db["claims"].enable_fts(FTS_COLUMNS, tokenize=FTS_TOKENIZE, create_triggers=True)

    db["attributions"].create(
        {
            "id": int,
            "claim_id": int,
            "actor_id": int,
            "role": str,
            "source_id": int,
            "stated_on": str,
            "created_at": str,
        },
        pk="id",
        not_null={"claim_id", "actor_id", "role", "created_at"},
        foreign_keys=[
            ("claim_id", "claims", "id"),
            ("actor_id", "actors", "id"),
            ("role", "roles", "name"),
            ("source_id", "sources", "id"),
        ],
    )
    db["attributions"].create_index(["claim_id", "actor_id", "role"], unique=True)
    db["attributions"].create_index(["actor_id", "role"])

    db["status_changes"].create(
        {
            "id": int,
            "claim_id": int,
            "from_status": str,
            "to_status": str,
            "reason": str,
            "evidence_url": str,
            "changed_on": str,
            "recorded_at": str,
        },
        pk="id",
        not_null={"claim_id", "to_status", "reason", "recorded_at"},
        foreign_keys=[
            ("claim_id", "claims", "id"),
            ("from_status", "statuses", "name"),
            ("to_status", "statuses", "name"),
        ],
    )
    db["status_changes"].create_index(["claim_id"])
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER status_changes_no_{action.lower()} BEFORE {action} ON status_changes "
            "BEGIN SELECT RAISE(ABORT, 'status_changes is append-only: rows cannot be changed or deleted'); END"
        )

    db["figures"].create(
        {
            "id": int,
            "claim_id": int,
            "measure": str,
            "qualifier": str,
            "low": int,
            "high": int,
            "unit": str,
        },
        pk="id",
        not_null={"claim_id", "measure", "qualifier"},
        foreign_keys=[("claim_id", "claims", "id"), ("qualifier", "qualifiers", "name")],
    )
    db["figures"].create_index(["claim_id"])
    db["figures"].create_index(["measure", "low"])


@step
def m002_views_for_browsing(db: Database):
    """Views behind the dashboard and canned queries: estimates, contested and unconfirmed claims."""
    db.create_view(
        "estimates",
        """
        select figures.id as figure_id, figures.claim_id, figures.measure, figures.qualifier,
               figures.low, figures.high,
               case when figures.low is not null and figures.high is not null and figures.low != figures.high
                    then (figures.low + figures.high) / 2.0
                    else coalesce(figures.low, figures.high) end as value,
               figures.unit, coalesce(claims.said_on, sources.published) as dated,
               coalesce(actors.name, '(nobody)') as asserted_by, claims.status, claims.text,
               claims.source_id, sources.title as source
        from figures
        join claims on claims.id = figures.claim_id
        join sources on sources.id = claims.source_id
        left join attributions on attributions.claim_id = claims.id and attributions.role = 'asserts'
        left join actors on actors.id = attributions.actor_id
        """,
    )
    db.create_view(
        "contested_claims",
        """
        select claims.id, claims.text, claims.status, claims.asserted_by, claims.denied_by, claims.disputed_by,
               coalesce(claims.said_on, sources.published) as dated, claims.source_id, sources.title as source
        from claims join sources on sources.id = claims.source_id
        where exists (select 1 from attributions where claim_id = claims.id and role = 'asserts')
          and exists (select 1 from attributions where claim_id = claims.id and role in ('denies', 'disputes'))
        """,
    )
    db.create_view(
        "unconfirmed_claims",
        """
        select claims.id, claims.text, claims.status, claims.asserted_by, claims.not_confirmed_by,
               coalesce(claims.said_on, sources.published) as dated, claims.status_changed_at,
               claims.source_id, sources.title as source
        from claims join sources on sources.id = claims.source_id
        where claims.status not in ('confirmed', 'false', 'retracted')
          and not exists (select 1 from attributions where claim_id = claims.id and role = 'confirms')
        """,
    )


@step
def m003_revisions_purges_and_recorders(db: Database):
    """Who recorded each change; revisions of edited claims; a log of purged claims; history deletable only once purged."""
    for table, column in [("claims", "created_by"), ("attributions", "recorded_by"), ("status_changes", "recorded_by")]:
        db[table].add_column(column, str)
    db["revisions"].create(
        {
            "id": int,
            "claim_id": int,
            "field": str,
            "old_value": str,
            "new_value": str,
            "reason": str,
            "recorded_by": str,
            "recorded_at": str,
        },
        pk="id",
        not_null={"claim_id", "field", "reason", "recorded_at"},
        foreign_keys=[("claim_id", "claims", "id")],
    )
    db["revisions"].create_index(["claim_id"])
    db["purges"].create(
        {"id": int, "claim_id": int, "claim": str, "reason": str, "recorded_by": str, "recorded_at": str},
        pk="id",
        not_null={"claim_id", "claim", "reason", "recorded_at"},
    )
    db["purges"].create_index(["claim_id"])
    db.execute("DROP TRIGGER status_changes_no_delete")
    db.execute("DROP TRIGGER status_changes_no_update")
    for table in ("status_changes", "revisions", "purges"):
        for sql in append_only_triggers(table).values():
            db.execute(sql)


@step
def m004_counts_for_browsing_at_scale(db: Database):
    """Counts kept by triggers (`claims.counts`), indexes for the latest estimates and contested claims: fast at 1M claims."""
    from . import counts

    counts.create(db)
    db["figures"].create_index(["measure", "claim_id"])
    db["attributions"].create_index(["role", "claim_id"])
    # Start from the few claims someone denies or disputes, not from every claim.
    db.create_view(
        "contested_claims",
        """
        select claims.id, claims.text, claims.status, claims.asserted_by, claims.denied_by, claims.disputed_by,
               coalesce(claims.said_on, sources.published) as dated, claims.source_id, sources.title as source
        from claims join sources on sources.id = claims.source_id
        where claims.id in (select claim_id from attributions where role in ('denies', 'disputes'))
          and exists (select 1 from attributions where claim_id = claims.id and role = 'asserts')
        """,
        replace=True,
    )


# claims.dated: when the claim was said, else when its source was published (CLAIM_DATE of a claims row).
# Triggers keep it so, whatever writes.
CLAIM_DATE = "coalesce({claim}.said_on, (SELECT published FROM sources WHERE sources.id = {claim}.source_id))"
_DATE_OF_NEW = CLAIM_DATE.format(claim="new")
DATED_TRIGGERS = {
    "claims_dated_ai": f"""CREATE TRIGGER claims_dated_ai AFTER INSERT ON claims WHEN new.dated IS NOT {_DATE_OF_NEW}
        BEGIN UPDATE claims SET dated = {_DATE_OF_NEW} WHERE id = new.id; END""",
    "claims_dated_au": f"""CREATE TRIGGER claims_dated_au AFTER UPDATE OF said_on, source_id, dated ON claims
        WHEN new.dated IS NOT {_DATE_OF_NEW}
        BEGIN UPDATE claims SET dated = {_DATE_OF_NEW} WHERE id = new.id; END""",
    "sources_dated_au": """CREATE TRIGGER sources_dated_au AFTER UPDATE OF published ON sources
        BEGIN UPDATE claims SET dated = new.published WHERE source_id = new.id AND said_on IS NULL; END""",
}


def index_only_changed_text(db: Database) -> None:
    """Make the full-text index's update trigger (sqlite-utils' `claims_au`) fire only when indexed text changes.

    Updating other columns then costs no re-indexing; and it must not fire when `claims_dated_ai` dates a
    claim that may not be indexed yet (FTS5 reports a deleted row it never held as a malformed database).
    """
    columns = ", ".join(f'"{column}"' for column in FTS_COLUMNS)
    old = ", ".join(f'old."{column}"' for column in FTS_COLUMNS)
    new = ", ".join(f'new."{column}"' for column in FTS_COLUMNS)
    db.execute("DROP TRIGGER IF EXISTS claims_au")
    db.execute(
        f"""CREATE TRIGGER "claims_au" AFTER UPDATE OF {columns} ON "claims" BEGIN
  INSERT INTO "claims_fts" ("claims_fts", rowid, {columns}) VALUES('delete', old.rowid, {old});
  INSERT INTO "claims_fts" (rowid, {columns}) VALUES (new.rowid, {new});
END"""
    )


@step
def m005_claim_dates_for_sorting(db: Database):
    """`claims.dated`, stored and indexed (undated last), and an index of status changes: lists of claims by date
    or by last change read an index instead of sorting a million claims."""
    index_only_changed_text(db)
    db["claims"].add_column("dated", str)
    db.execute(f"UPDATE claims SET dated = {CLAIM_DATE.format(claim='claims')}")
    for sql in DATED_TRIGGERS.values():
        db.execute(sql)
    db.execute("CREATE INDEX idx_claims_dated ON claims (dated IS NULL, dated)")
    db["claims"].create_index(["status_changed_at"])  # sorting a million claims by their last change took 1.7 s
    views = {
        "unconfirmed_claims": """
        select claims.id, claims.text, claims.status, claims.asserted_by, claims.not_confirmed_by,
               claims.dated, claims.status_changed_at, claims.source_id, sources.title as source
        from claims join sources on sources.id = claims.source_id
        where claims.status not in ('confirmed', 'false', 'retracted')
          and not exists (select 1 from attributions where claim_id = claims.id and role = 'confirms')
        """,
        "contested_claims": """
        select claims.id, claims.text, claims.status, claims.asserted_by, claims.denied_by, claims.disputed_by,
               claims.dated, claims.source_id, sources.title as source
        from claims join sources on sources.id = claims.source_id
        where claims.id in (select claim_id from attributions where role in ('denies', 'disputes'))
          and exists (select 1 from attributions where claim_id = claims.id and role = 'asserts')
        """,
        "estimates": """
        select figures.id as figure_id, figures.claim_id, figures.measure, figures.qualifier,
               figures.low, figures.high,
               case when figures.low is not null and figures.high is not null and figures.low != figures.high
                    then (figures.low + figures.high) / 2.0
                    else coalesce(figures.low, figures.high) end as value,
               figures.unit, claims.dated,
               coalesce(actors.name, '(nobody)') as asserted_by, claims.status, claims.text,
               claims.source_id, sources.title as source
        from figures
        join claims on claims.id = figures.claim_id
        join sources on sources.id = claims.source_id
        left join attributions on attributions.claim_id = claims.id and attributions.role = 'asserts'
        left join actors on actors.id = attributions.actor_id
        """,
    }
    for name, sql in views.items():
        db.create_view(name, sql, replace=True)


@step
def m006_claim_identity_keys_and_actor_changes(db: Database):
    """`claims.text_key`: a claim's text normalised for identity (case, spacing, quotes, final punctuation), indexed
    with its source in place of the exact text; `actor_changes`: an append-only log of renamed, merged and deleted actors."""
    from .values import identity_key  # the data is keyed by today's rule; `claims check --repair` re-keys it

    db.execute("ALTER TABLE claims ADD COLUMN text_key TEXT")
    db.conn.executemany(
        "UPDATE claims SET text_key = ? WHERE id = ?",
        ((identity_key(text), claim_id) for claim_id, text in db.execute("SELECT id, text FROM claims").fetchall()),
    )
    db["claims"].create_index(["source_id", "text_key"])  # idx_claims_source_id_text_key
    db.execute("DROP INDEX idx_claims_source_id_text")
    db.execute(
        """CREATE TABLE actor_changes (
            id INTEGER PRIMARY KEY,
            actor_id INTEGER NOT NULL,
            action TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT NOT NULL,
            recorded_by TEXT,
            recorded_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_actor_changes_actor_id ON actor_changes (actor_id)")
    message = "'actor_changes is append-only: rows cannot be changed or deleted'"
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER actor_changes_no_{action.lower()} BEFORE {action} ON actor_changes "
            f"BEGIN SELECT RAISE(ABORT, {message}); END"
        )


@step
def m007_status_changes_per_month_counts_changes_only(db: Database):
    """The dashboard's status changes per month count changes of status, not the status each claim was recorded
    with (one per claim: 19 "changes" shown where one status had changed)."""
    from . import counts

    definitions = counts.triggers()
    for name in counts.MONTHLY_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute(definitions[name])
    counts.recount(db, (counts.MONTHLY_TABLE,))


@step
def m008_claim_links_and_groups(db: Database):
    """`claim_links`: an append-only log of links between reports of claims (same, updates, contradicts) and of
    their removal; `claims.group_id`: the first report of the claim a report belongs to (itself when alone)."""
    _lookup(db, "link_relations", [{"name": n, "meaning": m, "rank": i} for i, (n, m) in enumerate(LINK_RELATIONS)])
    db.execute(
        """CREATE TABLE claim_links (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            other_id INTEGER NOT NULL REFERENCES claims(id),
            relation TEXT NOT NULL REFERENCES link_relations(name),
            action TEXT NOT NULL CHECK (action IN ('link', 'unlink')),
            reason TEXT NOT NULL,
            recorded_by TEXT,
            recorded_at TEXT NOT NULL,
            CHECK (claim_id != other_id)
        )"""
    )
    db.execute("CREATE INDEX idx_claim_links_claim_id_other_id ON claim_links (claim_id, other_id)")
    db.execute("CREATE INDEX idx_claim_links_other_id ON claim_links (other_id)")
    message = "'claim_links is append-only: rows cannot be changed or deleted'"
    purged = "SELECT 1 FROM purges WHERE purges.claim_id IN (OLD.claim_id, OLD.other_id)"
    db.execute(f"CREATE TRIGGER claim_links_no_update BEFORE UPDATE ON claim_links BEGIN SELECT RAISE(ABORT, {message}); END")
    db.execute(
        f"CREATE TRIGGER claim_links_no_delete BEFORE DELETE ON claim_links WHEN NOT EXISTS ({purged}) "
        f"BEGIN SELECT RAISE(ABORT, {message}); END"
    )
    db.create_view(
        "current_links",
        """
        select claim_links.id, claim_links.claim_id, claim_links.other_id, claim_links.relation, claim_links.reason,
               claim_links.recorded_by, claim_links.recorded_at
        from claim_links
        where claim_links.action = 'link'
          and claim_links.id = (select max(latest.id) from claim_links as latest
                                where latest.claim_id = claim_links.claim_id and latest.other_id = claim_links.other_id)
        """,
    )
    db.execute("ALTER TABLE claims ADD COLUMN group_id INTEGER")
    db.execute("UPDATE claims SET group_id = id")
    db.execute("CREATE INDEX idx_claims_group_id ON claims (group_id)")
    # A claim written without a group (by another tool) is a group of its own.
    db.execute(
        "CREATE TRIGGER claims_group_ai AFTER INSERT ON claims WHEN new.group_id IS NULL "
        "BEGIN UPDATE claims SET group_id = new.id WHERE id = new.id; END"
    )
    db.create_view(
        "claim_groups",
        """
        select lead.id as claim_id, lead.text, lead.status, count(reports.id) as reports,
               count(distinct sources.outlet) as outlets_count, min(reports.dated) as first_appearance,
               max(reports.dated) as latest_appearance,
               json_group_array(distinct sources.outlet) filter (where sources.outlet is not null) as outlets,
               json_group_array(distinct reports.language) filter (where reports.language is not null) as languages,
               lead.asserted_by
        from claims as lead
        join claims as reports on reports.group_id = lead.id
        join sources on sources.id = reports.source_id
        where lead.group_id = lead.id
        group by lead.id
        """,
    )


@step
def m009_claims_counted_once(db: Database):
    """A claim reported several times counts once: `claims_per_status` counts claims (first reports) per status;
    `claim_group_counts` keeps the status, reports, outlets and dates of each claim reported more than once, which
    `claim_groups` now lists (m008's view grouped every report on every page: 0.4 s at 100,000 claims);
    `repeated_parties` and `repeated_status_changes` what their reports repeat, for the dashboard (`claims.counts`)."""
    from . import counts

    counts.create_claim_counts(db)
    # The claims reported more than once, with the text of each one's first report and who asserts it: looked up
    # for the rows shown only (a join read every first report to count the rows or facet them by status).
    db.create_view(
        "claim_groups",
        """
        select counted.claim_id, (select text from claims where claims.id = counted.claim_id) as text, counted.status,
               counted.reports, counted.outlets_count, counted.first_appearance, counted.latest_appearance,
               counted.outlets, counted.languages,
               (select asserted_by from claims where claims.id = counted.claim_id) as asserted_by
        from claim_group_counts as counted
        """,
        replace=True,
    )


# A source's stored text (source_texts) is replaced only with the change logged first in source_changes (who, when,
# why, and the text it replaces), which its `change_id` then names, and never deleted: `claims check` reports a
# missing trigger, `--repair` restores it.
SOURCE_TEXT_TRIGGERS = {
    "source_texts_no_silent_update": """CREATE TRIGGER source_texts_no_silent_update BEFORE UPDATE ON source_texts
        WHEN NOT EXISTS (SELECT 1 FROM source_changes WHERE source_changes.id = NEW.change_id
                         AND source_changes.id > OLD.change_id AND source_changes.source_id = OLD.source_id
                         AND source_changes.field = 'text'
                         AND json_extract(source_changes.new_value, '$.body_sha256') = NEW.body_sha256)
        BEGIN
            SELECT RAISE(ABORT, 'a stored source text is replaced only with its change logged in source_changes');
        END""",
    "source_texts_no_delete": """CREATE TRIGGER source_texts_no_delete BEFORE DELETE ON source_texts
        BEGIN SELECT RAISE(ABORT, 'a stored source text cannot be deleted'); END""",
}


@step
def m010_source_texts_and_claim_spans(db: Database):
    """Sources kept as evidence: `source_texts` holds a source's full text (`body`, its SHA-256, when it was stored)
    and the page it was read from (zlib-compressed HTML); `source_changes`, an append-only log of every text stored
    or replaced and every archive URL set, with who, when, why and the value replaced; `sources.archive_url`, an
    archived copy (archive.org, perma.cc); `claims.span_start`/`span_end`, where a claim's text is in its source's."""
    db.execute("ALTER TABLE sources ADD COLUMN archive_url TEXT")
    db.execute(
        """CREATE TABLE source_texts (
            source_id INTEGER PRIMARY KEY REFERENCES sources(id),
            body TEXT NOT NULL,
            body_sha256 TEXT NOT NULL,
            html_zlib BLOB,
            stored_at TEXT NOT NULL,
            change_id INTEGER NOT NULL REFERENCES source_changes(id)
        )"""
    )
    db.execute(
        """CREATE TABLE source_changes (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            field TEXT NOT NULL CHECK (field IN ('text', 'archive_url')),
            old_value TEXT,
            new_value TEXT,
            old_html_zlib BLOB,
            reason TEXT NOT NULL,
            recorded_by TEXT,
            recorded_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_source_changes_source_id ON source_changes (source_id)")
    for sql in append_only_triggers("source_changes").values():
        db.execute(sql)
    for sql in SOURCE_TEXT_TRIGGERS.values():
        db.execute(sql)
    db.execute("ALTER TABLE claims ADD COLUMN span_start INTEGER")
    db.execute("ALTER TABLE claims ADD COLUMN span_end INTEGER")


@step
def m011_imported_files(db: Database):
    """Incremental imports of a claims repository: `imported_files` holds each YAML file of a folder last imported
    (its path in the folder, SHA-256, size, when), with what it recorded (claim and source ids, the source keys it
    declares, the actors it declares), JSON, so that the next import reads only the files that changed and can tell what
    a changed or deleted file no longer holds."""
    db.execute(
        """CREATE TABLE imported_files (
            path TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            imported_at TEXT NOT NULL,
            claim_ids TEXT NOT NULL DEFAULT '[]',
            source_ids TEXT NOT NULL DEFAULT '[]',
            source_keys TEXT NOT NULL DEFAULT '{}',
            actor_ids TEXT NOT NULL DEFAULT '[]'
        )"""
    )

def known_migration_names() -> list[str]:
    """Names of every migration step this version of claims knows, in order."""
    return list(STEPS)
