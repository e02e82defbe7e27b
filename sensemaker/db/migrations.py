"""Schema changes, in order. Never edit an applied migration: add a new one.

A database made by an older version of Sensemaker upgrades in place when it is opened.
"""

from sqlite_utils.migrations import Migrations

migrations = Migrations("sensemaker")


@migrations()
def m001_surveys_and_fragments(db):
    db["survey"].create(
        {"id": str, "current_version": int, "loaded_at": str},
        pk="id",
    )
    db["survey_version"].create(
        {
            "survey_id": str,
            "version": int,
            "definition": str,  # the checked YAML as JSON
            "sha256": str,
            "loaded_at": str,
        },
        pk=("survey_id", "version"),
        foreign_keys=[("survey_id", "survey", "id")],
    )
    db["fragment"].create(
        {
            # An explicit integer key: the search index and the numeric answers refer to
            # it, and unlike an implicit rowid it survives VACUUM unchanged.
            "seq": int,
            "id": str,  # uuid4 made by the client
            "survey_id": str,
            "survey_version": int,
            "language": str,
            "prompt": str,
            "title": str,
            "story": str,
            "consent": int,
            "collected_at": str,  # client clock, as sent
            "received_at": str,  # server clock, UTC
            "answers": str,  # JSON, normalised by the question kinds
            "body_sha256": str,  # tells a harmless retry from a conflicting one
        },
        pk="seq",
        not_null={"id"},
        foreign_keys=[("survey_id", "survey", "id")],
    )
    db["fragment"].create_index(["id"], unique=True)
    db["fragment"].create_index(["survey_id", "received_at"])


@migrations()
def m002_fragment_source(db):
    # Synthetic and imported stories must never be mistaken for stories told on a form.
    db["fragment"].add_column("source", str, not_null_default="capture")
    db["fragment"].create_index(["survey_id", "source"])


@migrations()
def m003_accounts_and_privacy(db):
    db["user"].create(
        {
            "id": int,
            "email": str,  # stored lower-case
            "role": str,  # admin | facilitator | analyst
            "password_hash": str,  # Werkzeug scrypt
            "active": int,
            "language": str,
            "created_at": str,
        },
        pk="id",
        not_null={"email", "role", "password_hash"},
        defaults={"active": 1, "language": "sv"},
    )
    db["user"].create_index(["email"], unique=True)
    db["assignment"].create(
        {"user_id": int, "survey_id": str, "created_at": str},
        pk=("user_id", "survey_id"),
        foreign_keys=[("user_id", "user", "id"), ("survey_id", "survey", "id")],
    )
    db["attempt"].create(
        # Failed sign-ins and withdrawal attempts, for rate limiting.
        {"id": int, "kind": str, "account": str, "address": str, "at": str},
        pk="id",
    )
    db["attempt"].create_index(["kind", "account", "at"])
    db["attempt"].create_index(["kind", "address", "at"])
    db["audit"].create(
        {
            "id": int,
            "at": str,
            "actor": str,  # an e-mail address, "teller" or "cli"
            "action": str,
            "survey_id": str,
            "target": str,
            "details": str,  # JSON; never story text
        },
        pk="id",
    )
    # The audit log is append-only: nothing in the app can change or remove an entry.
    db.execute(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    db["survey"].add_column("collection", str, not_null_default="open")
    db["survey"].add_column("retention_days", int)
    db["collection_link"].create(
        {
            "id": int,
            "survey_id": str,
            "kind": str,  # link | kiosk
            "label": str,
            "token_sha256": str,  # the token itself is shown once and never stored
            "created_at": str,
            "created_by": str,
            "expires_at": str,
            "max_fragments": int,
            "fragments": int,
            "revoked_at": str,
            "last_seen_at": str,
        },
        pk="id",
        defaults={"fragments": 0},
        foreign_keys=[("survey_id", "survey", "id")],
    )
    db["collection_link"].create_index(["token_sha256"], unique=True)
    db["fragment"].add_column("receipt_sha256", str)
    db["fragment"].add_column("personal_data", str)  # JSON list of kinds found, or NULL
    db["fragment"].add_column("collection_link_id", int)
    db["fragment"].create_index(["receipt_sha256"], unique=True)
    db["setting"].create({"key": str, "value": str}, pk="key")


@migrations()
def m004_story_search(db):
    # Full-text index over titles and stories, kept in step with the fragment table by
    # triggers, so a withdrawn or purged story leaves the index in the same transaction.
    # unicode61 without diacritic folding keeps å, ä and ö apart from a and o, as Swedish
    # needs ("får" is not "far"); word endings are handled with prefix queries.
    db.execute(
        "CREATE VIRTUAL TABLE fragment_search USING fts5(title, story, content='fragment', "
        "content_rowid='seq', tokenize=\"unicode61 remove_diacritics 0\")"
    )
    db.execute(
        "CREATE TRIGGER fragment_search_insert AFTER INSERT ON fragment BEGIN "
        "INSERT INTO fragment_search (rowid, title, story) "
        "VALUES (new.seq, new.title, new.story); END"
    )
    db.execute(
        "CREATE TRIGGER fragment_search_delete AFTER DELETE ON fragment BEGIN "
        "INSERT INTO fragment_search (fragment_search, rowid, title, story) "
        "VALUES ('delete', old.seq, old.title, old.story); END"
    )
    db.execute(
        "CREATE TRIGGER fragment_search_update AFTER UPDATE OF title, story ON fragment BEGIN "
        "INSERT INTO fragment_search (fragment_search, rowid, title, story) "
        "VALUES ('delete', old.seq, old.title, old.story); "
        "INSERT INTO fragment_search (rowid, title, story) "
        "VALUES (new.seq, new.title, new.story); END"
    )
    db.execute("INSERT INTO fragment_search (fragment_search) VALUES ('rebuild')")


@migrations()
def m005_significations_and_cluster_runs(db):
    # Each fragment's answers as float64 numbers in its survey version's column layout
    # (sensemaker.signification), so that a million fragments load for the analysis in
    # one narrow scan instead of a million JSON parses.
    db["signification"].create(
        {"fragment_seq": int, "survey_id": str, "survey_version": int, "vector": bytes},
        pk="fragment_seq",
    )
    db["signification"].create_index(["survey_id", "survey_version"])
    db.execute(
        "CREATE TRIGGER signification_delete AFTER DELETE ON fragment BEGIN "
        "DELETE FROM signification WHERE fragment_seq = old.seq; END"
    )
    db["cluster_run"].create(
        {
            "id": int,
            "survey_id": str,
            "created_at": str,
            "created_by": str,
            "k": int,
            "run": str,  # ClusterRun.to_json() without the labels: parameters, scores, …
            "fragment_seqs": bytes,  # int64 per clustered-or-not fragment, in run order
            "labels": bytes,  # int16 per fragment: 0…k-1, or -1 when left out
        },
        pk="id",
        foreign_keys=[("survey_id", "survey", "id")],
    )
    db["cluster_run"].create_index(["survey_id", "created_at"])


@migrations()
def m007_api_tokens(db):
    # Analysts' tokens for the read API. Only the SHA-256 of a token is stored: the token
    # is shown once, when made, so a copy of the database hands out no working token.
    db["api_token"].create(
        {
            "id": int,
            "user_id": int,
            "name": str,  # the holder's own label, e.g. "R on my laptop"
            "token_sha256": str,
            "created_at": str,
            "created_by": str,
            "expires_at": str,
            "revoked_at": str,
            "last_used_at": str,
        },
        pk="id",
        not_null={"user_id", "token_sha256"},
        foreign_keys=[("user_id", "user", "id")],
    )
    db["api_token"].create_index(["token_sha256"], unique=True)
    db["api_token"].create_index(["user_id"])
    # The read API pages through a survey's fragments in seq order.
    db["fragment"].create_index(["survey_id", "seq"])


@migrations()
def m008_kiosk_status(db):
    # What each kiosk tablet last said about its outbox: stories waiting to be sent (and
    # since when) and stories the server refused, so staff can see a tablet that is stuck.
    db["kiosk_status"].create(
        {
            "link_id": int,
            "reported_at": str,  # server clock, UTC
            "waiting": int,
            "oldest_waiting": str,  # the tablet's clock, as sent
            "attention": int,
        },
        pk="link_id",
        foreign_keys=[("link_id", "collection_link", "id")],
    )


@migrations()
def m009_search_indexed_in_batches(db):
    # Indexing a story's words took more than half the time of storing it. New stories
    # now only note their key in search_pending; `index_pending` indexes them in one
    # batch before the next search. The triggers keep withdrawals and purges exact for
    # stories in either state: a story still waiting is simply taken off the list.
    for name in ("fragment_search_insert", "fragment_search_delete", "fragment_search_update"):
        db.execute(f"DROP TRIGGER {name}")
    db.execute("CREATE TABLE search_pending (seq INTEGER PRIMARY KEY)")
    indexed = "NOT EXISTS (SELECT 1 FROM search_pending WHERE seq = old.seq)"
    db.execute(
        "CREATE TRIGGER fragment_search_insert AFTER INSERT ON fragment BEGIN "
        "INSERT INTO search_pending (seq) VALUES (new.seq); END"
    )
    db.execute(
        "CREATE TRIGGER fragment_search_delete AFTER DELETE ON fragment BEGIN "
        "INSERT INTO fragment_search (fragment_search, rowid, title, story) "
        f"SELECT 'delete', old.seq, old.title, old.story WHERE {indexed}; "
        "DELETE FROM search_pending WHERE seq = old.seq; END"
    )
    db.execute(
        "CREATE TRIGGER fragment_search_update AFTER UPDATE OF title, story ON fragment BEGIN "
        "INSERT INTO fragment_search (fragment_search, rowid, title, story) "
        f"SELECT 'delete', old.seq, old.title, old.story WHERE {indexed}; "
        "INSERT INTO fragment_search (rowid, title, story) "
        f"SELECT new.seq, new.title, new.story WHERE {indexed}; END"
    )


@migrations()
def m006_workshop(db):
    # What a workshop group keeps: an observation's words, the filter, picture and view it
    # came from (so the report can draw that picture again), the stories chosen with it,
    # and who wrote and last changed it. Story text is never copied here, only seqs.
    db["observation"].create(
        {
            "id": int,
            "survey_id": str,
            "title": str,
            "text": str,
            "filter": str,  # the filter as a query string, e.g. "c.role=staff&from=2026-09-01"
            "picture": str,  # a question id, or the screen ("overview", "compare", …)
            "selection": str,  # what was clicked or brushed on it (aggregate.Selection), or ""
            "source": str,  # the workshop URL it was written on (path and query)
            "stories": str,  # JSON list of fragment seqs chosen with it
            "created_by": str,
            "created_at": str,
            "updated_by": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"survey_id", "title"},
        foreign_keys=[("survey_id", "survey", "id")],
    )
    db["observation"].create_index(["survey_id", "created_at"])


@migrations()
def m010_shared_patterns(db):
    # A survey's overview patterns, worked out by one server process for all of them. Each
    # worker used to work them out on its own, four times the work and the memory while
    # stories arrive. `claimed_at` marks a run in progress so others wait for its result.
    db["survey_patterns"].create(
        {
            "survey_id": str,
            "state": str,  # JSON: the survey's state and latest run the patterns are for
            "patterns": str,  # JSON list of Pattern.as_dict(), or NULL before the first run
            "computed_at": str,
            "claimed_at": str,  # a run in progress since then, or NULL
        },
        pk="survey_id",
        foreign_keys=[("survey_id", "survey", "id")],
    )


@migrations()
def m011_drop_unused_source_index(db):
    # No query looks fragments up by (survey_id, source), yet every stored story wrote to
    # this index: about 1.5 of the 23 pages a commit of four stories writes to the WAL.
    db.execute("DROP INDEX IF EXISTS idx_fragment_survey_id_source")
