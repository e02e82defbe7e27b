"""The JSON API: fragments come in here, from the form, the tablets and other clients."""

from flask import Blueprint, current_app, jsonify, request

from . import submission
from .web import get_db

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/health")
def health():
    """A liveness check for load balancers and monitoring; touches no data."""
    return jsonify({"status": "ok"})


@bp.post("/surveys/<survey_id>/fragments")
def submit_fragment(survey_id: str):
    """Store one fragment (see `submission.submit`).

    In the running app `submission.FragmentDoor` answers this route before Flask does;
    this view gives the same answers to anything that calls the Flask app without it.
    """

    config = current_app.config
    reply = submission.submit(get_db(), config["DATABASE"], config["SECRET_KEY"], survey_id,
                              request, config["MAX_CONTENT_LENGTH"],
                              config["SHARED_WRITER"])  # fmt: skip
    return jsonify(reply.body), reply.status


from . import api_read  # noqa: E402,F401  (the read API's views register on bp)
