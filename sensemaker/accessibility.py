"""The accessibility statement (tillgänglighetsredogörelse) that Swedish law asks for.

It follows the structure of DIGG's model statement: how accessible the form is, what to do
when a part cannot be used, how to report a problem, enforcement by DIGG, the technical
status against EN 301 549 / WCAG 2.1 AA, known issues, and how and when it was assessed.
Who answers reports is configuration: SENSEMAKER_ORGANISATION, SENSEMAKER_ACCESSIBILITY_EMAIL
and SENSEMAKER_ACCESSIBILITY_PHONE (or the same names without the prefix in the app config).
"""

import os

from flask import Blueprint, current_app, render_template

from .web import language

bp = Blueprint("accessibility", __name__)

ASSESSED = "2026-11-23"  # the latest self-assessment (tests/test_capture_offline.py & co.)
DIGG_REPORT = "https://www.digg.se/tdosanmalan"


def _setting(name: str) -> str | None:
    value = current_app.config.get(name) or os.environ.get(f"SENSEMAKER_{name}") or ""
    return value.strip() or None


@bp.get("/tillganglighet")
def statement():
    return render_template(
        "capture/accessibility.html",
        lang=language(),
        organisation=_setting("ORGANISATION"),
        email=_setting("ACCESSIBILITY_EMAIL"),
        phone=_setting("ACCESSIBILITY_PHONE"),
        assessed=ASSESSED,
        digg=DIGG_REPORT,
    )
