"""Who may send stories to a survey: open, by link, by kiosk, or nobody (closed).

Links and kiosks carry an unguessable token. Only its SHA-256 is stored, so a copy of
the database does not hand out working links; the token itself is shown once, when made.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from . import db

TOKEN_HEADER = "X-Collection-Token"


@dataclass(frozen=True)
class Admission:
    """May a story come in? If not, `reason` names the message for the teller."""

    allowed: bool
    reason: str | None = None
    link: dict | None = None


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def find_link(database, token: str | None) -> dict | None:
    if not token or len(token) > 100:
        return None
    return db.link_by_token(database, token_hash(token))


def link_problem(link: dict | None, survey_id: str) -> str | None:
    """Why a link cannot be used now, as a message key; None when it can."""
    if link is None or link["survey_id"] != survey_id:
        return "collection.bad_link"
    if link["revoked_at"]:
        return "collection.revoked"
    if link["expires_at"] and link["expires_at"] <= datetime.now(UTC).isoformat():
        return "collection.expired"
    if link["max_fragments"] is not None and link["fragments"] >= link["max_fragments"]:
        return "collection.full"
    return None


def admit(database, survey_id: str, token: str | None) -> Admission:
    """Decide by the survey's collection mode and the token the form carries."""
    settings = db.survey_settings(database, survey_id)
    mode = settings["collection"] if settings else "closed"
    if mode == "closed":
        return Admission(False, "collection.closed")
    link = find_link(database, token)
    problem = link_problem(link, survey_id)
    if mode == "open":
        # Anyone may tell; a working link or kiosk is still credited with the story.
        return Admission(True, link=None if problem else link)
    if problem is not None:
        return Admission(False, problem)
    if mode == "kiosk" and link["kind"] != "kiosk":
        return Admission(False, "collection.kiosk_only")
    return Admission(True, link=link)
