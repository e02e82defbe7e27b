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
        pk="id",
        foreign_keys=[("survey_id", "survey", "id")],
    )
    db["fragment"].create_index(["survey_id", "received_at"])


@migrations()
def m002_fragment_source(db):
    # Synthetic and imported stories must never be mistaken for stories told on a form.
    db["fragment"].add_column("source", str, not_null_default="capture")
    db["fragment"].create_index(["survey_id", "source"])
