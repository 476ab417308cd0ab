"""The schema, as sqlite-utils migrations. Never edit one that has shipped: add the next.

Tables are STRICT with primary and foreign keys. Stored rows carry ids made
from their content (see `db.ids`), so re-running an extraction gives the
same ids again (`db.store` deletes a document's old rows first). `reviews`
is an append-only audit trail: triggers refuse UPDATE and DELETE, and it has
no foreign key to `claims`, so a re-extracted document never takes a verdict
with it.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db.statistics import forget_full_text_statistics

migrations = Migrations("newsfacts")


@migrations()
def m001_core(db: Database) -> None:
    db.create_table(
        "sources",
        {"name": str, "lang": str, "kind": str, "url": str, "created_at": str},
        pk="name",
        not_null=["kind", "created_at"],
        strict=True,
    )
    db.create_table(
        "documents",
        {
            "id": str,
            "url": str,
            "canonical_url": str,
            "source": str,
            "lang": str,
            "title": str,
            "author": str,
            "published_at": str,
            "fetched_at": str,
            "updated_at": str,
            "text": str,
            "content_sha256": str,
            "extractor_version": str,
            "replacement_share": float,
            "duplicate_of": str,
        },
        pk="id",
        not_null=[
            "url",
            "canonical_url",
            "lang",
            "fetched_at",
            "updated_at",
            "text",
            "content_sha256",
            "extractor_version",
        ],
        defaults={"replacement_share": 0.0},
        foreign_keys=[("source", "sources", "name"), ("duplicate_of", "documents", "id")],
        strict=True,
    )
    db.table("documents").create_index(["canonical_url"], unique=True)
    db.table("documents").create_index(["content_sha256"])
    db.table("documents").create_index(["published_at"])
    db.table("documents").create_index(["source"])
    db.create_table(
        "document_urls",
        {"url": str, "document_id": str, "first_seen": str},
        pk="url",
        not_null=["document_id", "first_seen"],
        foreign_keys=[("document_id", "documents", "id")],
        strict=True,
    )
    db.table("document_urls").create_index(["document_id"])
    db.create_table(
        "entities",
        {"id": str, "label": str, "org": str},
        pk="id",
        not_null=["label"],
        strict=True,
    )
    db.create_table(
        "entity_aliases",
        {"alias": str, "folded": str, "entity_id": str},
        pk=("alias", "entity_id"),
        not_null=["folded"],
        foreign_keys=[("entity_id", "entities", "id")],
        strict=True,
    )
    db.table("entity_aliases").create_index(["folded"])
    db.create_table(
        "mentions",
        {
            "id": str,
            "document_id": str,
            "entity_id": str,
            "surface": str,
            "label": str,
            "start": int,
            "end": int,
        },
        pk="id",
        not_null=["document_id", "surface", "label", "start", "end"],
        foreign_keys=[("document_id", "documents", "id")],
        strict=True,
    )
    db.table("mentions").create_index(["document_id"])
    db.table("mentions").create_index(["entity_id"])
    db.create_table(
        "figures",
        {
            "id": str,
            "document_id": str,
            "start": int,
            "end": int,
            "text": str,
            "kind": str,
            "value": float,
            "low": float,
            "high": float,
            "unit": str,
            "currency": str,
            "qualifier": str,
            "error": str,
        },
        pk="id",
        not_null=["document_id", "start", "end", "text", "kind", "qualifier"],
        foreign_keys=[("document_id", "documents", "id")],
        strict=True,
    )
    db.table("figures").create_index(["document_id"])
    db.create_table(
        "claims",
        {
            "id": str,
            "document_id": str,
            "figure_id": str,
            "subject": str,
            "entity_id": str,
            "metric": str,
            "direction": str,
            "period": str,
            "source": str,
            "sentence": str,
            "sentence_start": int,
            "sentence_end": int,
            "fact_key": str,
        },
        pk="id",
        not_null=[
            "document_id",
            "figure_id",
            "subject",
            "metric",
            "sentence",
            "sentence_start",
            "sentence_end",
        ],
        foreign_keys=[("document_id", "documents", "id"), ("figure_id", "figures", "id")],
        strict=True,
    )
    db.table("claims").create_index(["document_id"])
    db.table("claims").create_index(["entity_id"])
    db.table("claims").create_index(["metric"])
    db.table("claims").create_index(["fact_key"])
    db.create_table(
        "quotes",
        {
            "id": str,
            "document_id": str,
            "start": int,
            "end": int,
            "text": str,
            "speaker": str,
            "speaker_entity": str,
            "anonymous": int,
            "cue": str,
        },
        pk="id",
        not_null=["document_id", "start", "end", "text", "anonymous"],
        foreign_keys=[("document_id", "documents", "id")],
        strict=True,
    )
    db.table("quotes").create_index(["document_id"])
    db.create_table(
        "reviews",
        {
            "id": int,
            "claim_id": str,
            "verdict": str,
            "subject": str,
            "metric": str,
            "value": float,
            "low": float,
            "high": float,
            "period": str,
            "reviewer": str,
            "note": str,
            "created_at": str,
            "snapshot": str,
        },
        pk="id",
        not_null=["claim_id", "verdict", "reviewer", "created_at", "snapshot"],
        strict=True,
    )
    db.table("reviews").create_index(["claim_id", "id"])
    db.executescript(
        """
        CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
        CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
        CREATE TRIGGER reviews_verdict BEFORE INSERT ON reviews
        WHEN NEW.verdict NOT IN ('accepted', 'rejected', 'edited')
        BEGIN SELECT RAISE(ABORT, 'verdict must be accepted, rejected or edited'); END;
        """
    )
    db.create_table(
        "runs",
        {
            "id": int,
            "command": str,
            "source": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "counts": str,
            "errors": str,
            "warnings": str,
        },
        pk="id",
        not_null=["command", "started_at", "status"],
        strict=True,
    )
    db.table("runs").create_index(["started_at"])
    # Full-text search: CJK text is indexed as space-separated jieba words
    # (written by the caller), so 华为 finds 华为 and not 华人为.
    db.executescript(
        """
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            document_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2');
        CREATE VIRTUAL TABLE claims_fts USING fts5(
            claim_id UNINDEXED, sentence, tokenize = 'unicode61 remove_diacritics 2');
        """
    )
    db.executescript(
        """
        CREATE VIEW latest_reviews AS
        SELECT r.* FROM reviews r
        JOIN (SELECT claim_id, max(id) AS id FROM reviews GROUP BY claim_id) m ON m.id = r.id;

        CREATE VIEW fact_table AS
        SELECT
            c.id AS claim_id,
            CASE WHEN l.verdict = 'edited' AND l.subject IS NOT NULL THEN l.subject ELSE c.subject END AS subject,
            CASE WHEN l.verdict = 'edited' AND l.metric IS NOT NULL THEN l.metric ELSE c.metric END AS metric,
            CASE WHEN l.verdict = 'edited' AND (l.value IS NOT NULL OR l.low IS NOT NULL)
                 THEN l.value ELSE f.value END AS value,
            CASE WHEN l.verdict = 'edited' AND (l.value IS NOT NULL OR l.low IS NOT NULL)
                 THEN l.low ELSE f.low END AS low,
            CASE WHEN l.verdict = 'edited' AND (l.value IS NOT NULL OR l.low IS NOT NULL)
                 THEN l.high ELSE f.high END AS high,
            f.unit AS unit,
            f.currency AS currency,
            f.qualifier AS qualifier,
            CASE WHEN l.verdict = 'edited' AND l.period IS NOT NULL THEN l.period ELSE c.period END AS period,
            c.source AS source,
            f.text AS figure_text,
            c.sentence AS sentence,
            f.start AS start,
            f."end" AS "end",
            d.id AS doc_id,
            d.url AS doc_url,
            d.title AS doc_title,
            d.published_at AS published_at,
            d.lang AS lang,
            COALESCE(l.verdict, 'pending') AS status,
            f.kind AS kind,
            c.direction AS direction,
            c.entity_id AS entity_id,
            c.fact_key AS fact_key,
            d.source AS doc_source,
            c.sentence_start AS sentence_start,
            c.sentence_end AS sentence_end,
            l.reviewer AS reviewer,
            l.note AS review_note,
            l.created_at AS reviewed_at
        FROM claims c
        JOIN figures f ON f.id = c.figure_id
        JOIN documents d ON d.id = c.document_id
        LEFT JOIN latest_reviews l ON l.claim_id = c.id;
        """
    )


@migrations()
def m002_crawl(db: Database) -> None:
    """The crawl frontier, raw pages kept for re-extraction, and near-duplicate fingerprints."""
    db.create_table(
        "frontier",
        {
            "url": str,  # canonical key
            "fetch_url": str,
            "source": str,
            "state": str,  # pending | done | failed | forbidden | deferred
            "attempts": int,
            "http_status": int,
            "error": str,
            "etag": str,
            "last_modified": str,
            "content_sha256": str,
            "published_hint": str,
            "document_id": str,
            "discovered_at": str,
            "fetched_at": str,
            "updated_at": str,
        },
        pk="url",
        not_null=["fetch_url", "source", "state", "attempts", "discovered_at", "updated_at"],
        defaults={"attempts": 0},
        strict=True,
    )
    db.table("frontier").create_index(["source", "state"])
    db.executescript(
        """
        CREATE TRIGGER frontier_state BEFORE INSERT ON frontier
        WHEN NEW.state NOT IN ('pending', 'done', 'failed', 'forbidden', 'deferred')
        BEGIN SELECT RAISE(ABORT, 'unknown frontier state'); END;
        """
    )
    db.create_table(
        "raw_pages",
        {
            "document_id": str,
            "url": str,
            "fetched_at": str,
            "status": int,
            "content_type": str,
            "headers": str,
            "encoding": str,
            "body": bytes,  # zlib-compressed page bytes
            "body_sha256": str,
            "size": int,
        },
        pk="document_id",
        not_null=["url", "fetched_at", "status", "body", "body_sha256", "size"],
        foreign_keys=[("document_id", "documents", "id")],
        strict=True,
    )
    bands = [f"b{i}" for i in range(8)]
    db.create_table(
        "fingerprints",
        {"document_id": str, "simhash": int, **dict.fromkeys(bands, int)},
        pk="document_id",
        not_null=["simhash", *bands],
        foreign_keys=[("document_id", "documents", "id")],
        strict=True,
    )
    for band in bands:
        db.table("fingerprints").create_index([band])


@migrations()
def m003_fast_queries(db: Database) -> None:
    """Fact-table queries that stop early at 100,000 documents.

    - `documents.seq`: a stable integer per document, the rowid of its
      full-text row, so a search reads only FTS doclists (an implicit rowid may
      change on VACUUM; a column does not).
    - `claims_fts` goes: a claim's sentence words are always words of its
      document's row, so matching the document finds every claim it found.
    - Indexes that let "newest first" walk documents by date and check a
      claim's filters from the index alone.
    - `fact_table` looks up a claim's latest review by its index, and computes
      the reviewed subject and metric from the claim alone, so those filters
      run before the figure and document joins.
    """
    run = db.execute
    run("ALTER TABLE documents ADD COLUMN seq INTEGER")
    run("UPDATE documents SET seq = rowid")
    run("CREATE UNIQUE INDEX idx_documents_seq ON documents (seq)")
    run("DROP INDEX idx_documents_published_at")
    run("CREATE INDEX idx_documents_published_at_id ON documents (published_at, id, seq)")
    run("DROP INDEX idx_claims_document_id")
    run("DROP INDEX idx_claims_entity_id")
    run("CREATE INDEX idx_claims_entity_metric ON claims (entity_id, metric)")
    run("CREATE INDEX idx_claims_subject_metric ON claims (subject, metric)")
    run(
        "CREATE INDEX idx_claims_document_filters "
        "ON claims (document_id, metric, entity_id, subject, id)"
    )
    # FTS5 tables have no ALTER for rowids: copy into a new table and rename it.
    run(
        "CREATE VIRTUAL TABLE documents_fts_new USING fts5(document_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    run(
        "INSERT INTO documents_fts_new (rowid, document_id, title, body) "
        "SELECT d.seq, s.document_id, s.title, s.body FROM documents_fts s "
        "JOIN documents d ON d.id = s.document_id"
    )
    run("DROP TABLE documents_fts")
    run("ALTER TABLE documents_fts_new RENAME TO documents_fts")
    run("DROP TABLE claims_fts")
    run("DROP VIEW fact_table")
    run("DROP VIEW latest_reviews")
    run(
        """
        CREATE VIEW latest_reviews AS
        SELECT r.* FROM reviews r
        WHERE r.id = (SELECT max(x.id) FROM reviews x WHERE x.claim_id = r.claim_id)
        """
    )
    edited = (
        "(SELECT r.{0} FROM reviews r WHERE r.verdict = 'edited' AND r.id = "
        "(SELECT max(x.id) FROM reviews x WHERE x.claim_id = c.id))"
    )
    run(
        f"""
        CREATE VIEW fact_table AS
        SELECT
            c.id AS claim_id,
            COALESCE({edited.format("subject")}, c.subject) AS subject,
            COALESCE({edited.format("metric")}, c.metric) AS metric,
            CASE WHEN l.verdict = 'edited' AND (l.value IS NOT NULL OR l.low IS NOT NULL)
                 THEN l.value ELSE f.value END AS value,
            CASE WHEN l.verdict = 'edited' AND (l.value IS NOT NULL OR l.low IS NOT NULL)
                 THEN l.low ELSE f.low END AS low,
            CASE WHEN l.verdict = 'edited' AND (l.value IS NOT NULL OR l.low IS NOT NULL)
                 THEN l.high ELSE f.high END AS high,
            f.unit AS unit,
            f.currency AS currency,
            f.qualifier AS qualifier,
            CASE WHEN l.verdict = 'edited' AND l.period IS NOT NULL THEN l.period ELSE c.period END AS period,
            c.source AS source,
            f.text AS figure_text,
            c.sentence AS sentence,
            f.start AS start,
            f."end" AS "end",
            d.id AS doc_id,
            d.url AS doc_url,
            d.title AS doc_title,
            d.published_at AS published_at,
            d.lang AS lang,
            COALESCE(l.verdict, 'pending') AS status,
            f.kind AS kind,
            c.direction AS direction,
            c.entity_id AS entity_id,
            c.fact_key AS fact_key,
            d.source AS doc_source,
            c.sentence_start AS sentence_start,
            c.sentence_end AS sentence_end,
            l.reviewer AS reviewer,
            l.note AS review_note,
            l.created_at AS reviewed_at,
            d.seq AS doc_seq
        FROM documents d
        JOIN claims c ON c.document_id = d.id
        JOIN figures f ON f.id = c.figure_id
        LEFT JOIN reviews l ON l.id = (SELECT max(x.id) FROM reviews x WHERE x.claim_id = c.id)
        """
    )
    run("PRAGMA analysis_limit = 1000")  # planner statistics for the new indexes
    run("ANALYZE")


@migrations()
def m004_fingerprint_blocks(db: Database) -> None:
    """Near-duplicate lookup by four 16-bit blocks instead of eight 8-bit bands.

    A band value is shared by 1 in 256 documents, so each new document was
    compared with 1 in 32 of all fingerprints; a 16-bit block probed with its
    one-bit neighbours reads about 1 in 1,000 (see `db.frontier.near_duplicate`).
    """
    blocks = [f"k{i}" for i in range(4)]
    db.create_table(
        "fingerprints_new",
        {"document_id": str, "simhash": int, **dict.fromkeys(blocks, int)},
        pk="document_id",
        not_null=["simhash", *blocks],
        foreign_keys=[("document_id", "documents", "id")],
        strict=True,
    )
    # One copy of the table: ALTER TABLE DROP COLUMN would rewrite it per band.
    shifted = ", ".join(f"(simhash >> {16 * i}) & 65535" for i in range(4))
    db.execute(
        f"INSERT INTO fingerprints_new (document_id, simhash, {', '.join(blocks)}) "
        f"SELECT document_id, simhash, {shifted} FROM fingerprints"
    )
    db.execute("DROP TABLE fingerprints")
    db.execute("ALTER TABLE fingerprints_new RENAME TO fingerprints")
    for block in blocks:
        db.execute(f"CREATE INDEX idx_fingerprints_{block} ON fingerprints ({block})")


@migrations()
def m005_child_ids(db: Database) -> None:
    """Ids of mentions, figures, claims and quotes begin with their document's id.

    Those ids were content digests, so a document's 70-odd rows landed on as many
    pages of the primary-key indexes, and storing one document wrote some 140
    pages. Now each id is 6 characters of its document's id and the first 10 of
    its old digest (`db.ids.child_id`); re-extraction makes the same ids again.
    Reviews follow their claims: a review's snapshot names its document, so even
    a review whose claim has since gone is renamed the same way. Claims get an
    index on `figure_id`, the foreign key that had none.
    """
    renamed = "substr(document_id, 1, 6) || substr({}, 1, 10)"
    # Without it, every figure renamed or deleted (re-extraction) had SQLite look for
    # claims that refer to it by reading the whole claims table.
    db.execute("CREATE INDEX idx_claims_figure_id ON claims (figure_id)")
    db.execute("PRAGMA defer_foreign_keys = ON")  # figures and claims.figure_id change apart
    for table in ("mentions", "figures", "quotes"):
        db.execute(f"UPDATE {table} SET id = {renamed.format('id')}")
    db.execute(
        f"UPDATE claims SET id = {renamed.format('id')}, figure_id = {renamed.format('figure_id')}"
    )
    db.execute("DROP TRIGGER reviews_no_update")
    db.execute(
        "UPDATE reviews SET claim_id = "
        "substr(json_extract(snapshot, '$.doc_id'), 1, 6) || substr(claim_id, 1, 10) "
        "WHERE json_extract(snapshot, '$.doc_id') IS NOT NULL"
    )
    db.execute(
        "CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews "
        "BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END"
    )


@migrations()
def m006_no_full_text_statistics(db: Database) -> None:
    """Drop the planner statistics m003's ANALYZE took of the FTS5 shadow tables.

    Taken when the index held 2 rows, they made SQLite scan the whole index at
    every segment merge (see `db.statistics`); `refresh_statistics` no longer
    takes them.
    """
    forget_full_text_statistics(db)


@migrations()
def m007_simhash_of_unit_hashes(db: Database) -> None:
    """Recompute every stored fingerprint with the SimHash that mixes its shingles
    from unit hashes (`pipelines.dedupe`, 0.56 -> 0.21 ms a page). A fingerprint of
    the old kind is no nearer a new copy of its story than a random one, so
    without this no stored document would be found as the original of a copy.
    Reads each document's stored text, a thousand at a time."""
    # Imported here: db.frontier imports db.connection, which imports this module;
    # and this is the one migration that needs the pipeline's own function.
    from db.frontier import fingerprint_columns
    from pipelines.dedupe import simhash

    columns = ", ".join(f"k{i} = ?" for i in range(4))
    update = f"UPDATE fingerprints SET simhash = ?, {columns} WHERE document_id = ?"
    last = ""
    while True:
        rows = db.execute(
            "SELECT f.document_id, d.text FROM fingerprints f "
            "JOIN documents d ON d.id = f.document_id "
            "WHERE f.document_id > ? ORDER BY f.document_id LIMIT 1000",
            [last],
        ).fetchall()
        if not rows:
            return
        db.conn.executemany(
            update, [(*fingerprint_columns(simhash(text)), doc) for doc, text in rows]
        )
        last = rows[-1][0]
