"""API tokens: made for an analyst or admin, shown once, checked on every API read.

A token is `secrets.token_urlsafe(32)`; only its SHA-256 is stored. It works while it is
not revoked or expired and while its user is active and still an analyst or admin. What it
may read is what its user is assigned to, decided on each request, so taking away an
assignment or disabling the user takes effect at once.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from . import db

HOLDER_ROLES = ("analyst", "admin")
MAX_TOKEN_LENGTH = 100  # a real token is 43 characters; longer ones are not looked up
NAME_LIMIT = 100


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Made:
    """A new token: `secret` is shown once and then exists only with its holder."""

    id: int
    secret: str
    expires_at: str | None


class TokenRefused(ValueError):
    """The token cannot be made; `key` names the message."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def create(database, email: str, actor: str, *, name: str | None = None,
           expires_days: int | None = None) -> Made:  # fmt: skip
    """Make a token for the user with `email`; raises TokenRefused."""
    user = db.get_user_by_email(database, email)
    if user is None:
        raise TokenRefused("accounts.no_user", email=email)
    if user["role"] not in HOLDER_ROLES:
        raise TokenRefused("token.role", email=user["email"], role=user["role"])
    if not user["active"]:
        raise TokenRefused("token.user_disabled", email=user["email"])
    if name is not None and len(name) > NAME_LIMIT:
        raise TokenRefused("token.name_too_long", max=NAME_LIMIT)
    if expires_days is not None and not 1 <= expires_days <= 3650:
        raise TokenRefused("token.expiry_range")
    expires_at = None
    if expires_days is not None:
        expires = datetime.now(UTC) + timedelta(days=expires_days)
        expires_at = expires.isoformat(timespec="milliseconds")
    secret = secrets.token_urlsafe(32)
    token_id = db.add_token(database, user["id"], name, token_hash(secret), actor, expires_at)
    db.audit(database, actor, "token.created", target=user["email"], token=token_id,
             expires_at=expires_at)  # fmt: skip
    return Made(token_id, secret, expires_at)


def revoke(database, token_id: int, actor: str) -> dict | None:
    """Revoke a token; the token as it was, or None when there is no such token."""
    token = db.get_token(database, token_id)
    if token is None:
        return None
    if db.revoke_token(database, token_id):
        db.audit(database, actor, "token.revoked", target=token["email"], token=token_id)
    return token


def problem(token: dict | None) -> str | None:
    """Why a looked-up token cannot be used now, as a message key; None when it can."""
    if token is None:
        return "token.unknown"
    if token["revoked_at"]:
        return "token.revoked"
    if token["expires_at"] and token["expires_at"] <= datetime.now(UTC).isoformat():
        return "token.expired"
    if not token["active"] or token["role"] not in HOLDER_ROLES:
        return "token.user_disabled_use"
    return None


def authenticate(database, authorization: str | None) -> tuple[dict | None, str | None]:
    """The token from an `Authorization: Bearer …` header, or None and why not.

    Every successful use records the time, so an unused token can be seen and revoked.
    """
    scheme, _, secret = (authorization or "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        return None, "token.missing"
    if len(secret) > MAX_TOKEN_LENGTH:
        return None, "token.unknown"
    token = db.token_by_hash(database, token_hash(secret))
    reason = problem(token)
    if reason is not None:
        return None, reason
    db.token_used(database, token["id"])
    return token, None
