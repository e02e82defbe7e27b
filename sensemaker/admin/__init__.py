"""The admin screens: users and assignments, survey collection, settings, the audit log.

Every view here is for signed-in admins only, and every change is written to the audit
log by the function that makes it.
"""

from flask import Blueprint, g

from ..auth import roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required("admin")
def _admins_only():
    """Runs before every admin view; returns a redirect or aborts for anyone else."""


def actor() -> str:
    return g.user["email"]


from . import audit, surveys, users  # noqa: E402,F401  (views register on bp)
