"""The pattern workshop: a facilitator's screens for seeing, reading and keeping patterns.

URL rules live in the view modules, one per screen; all of them need a signed-in
facilitator or admin assigned to the survey. Numbers come from `sensemaker.aggregate`,
pictures from `sensemaker.charts`.
"""

from flask import Blueprint

bp = Blueprint("workshop", __name__, url_prefix="/workshop")

from . import (  # noqa: E402, F401  (they add their routes to bp)
    clusters,
    compare,
    observations,
    overview,
    pictures,
    reading,
    report,
)
