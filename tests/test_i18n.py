"""One catalogue for every visible text, complete in Swedish and English."""

import re
from pathlib import Path

import pytest

from sensemaker import i18n

PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")


@pytest.mark.parametrize("key", i18n.keys())
def test_every_message_has_swedish_and_english_with_the_same_placeholders(key):
    entry = i18n._catalogue()[key]
    assert set(entry) == {"sv", "en"}
    assert entry["sv"].strip() and entry["en"].strip()
    assert set(PLACEHOLDER.findall(entry["sv"])) == set(PLACEHOLDER.findall(entry["en"]))


def test_every_key_used_in_code_and_templates_exists(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    package = Path(i18n.__file__).parent
    known = set(i18n.keys())
    prefixes = "|".join(sorted({key.split(".")[0] for key in known}))
    files = "yaml|json|csv|md|html|js|css|zip|py|txt|xlsx|parquet"
    quoted = re.compile(rf"""["']((?:{prefixes})\.(?!(?:{files})["'])[a-z_]+)["']""")
    # Audit actions ("fragment.withdrawn"), endpoints ("admin.users") and error-page keys
    # completed with _title/_text look like message keys but are not looked up as such.
    audit_action = re.compile(r"""audit\(\s*[^,]+,\s*[^,]+,\s*["']([a-z_.]+)["']""")
    used, actions = set(), set()
    for path in [*package.rglob("*.py"), *package.rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        used |= set(quoted.findall(text))
        actions |= set(audit_action.findall(text))
    missing = sorted(
        key
        for key in used - actions - endpoints
        if key not in known and not {f"{key}_title", f"{key}_text"} <= known
    )
    assert missing == []


def test_negotiation_prefers_the_explicit_choice():
    assert i18n.negotiate("en", None) == "en"
    assert i18n.negotiate("fi", None) == "sv"
    assert i18n.negotiate(None, None) == "sv"


def test_localize_falls_back_to_swedish_then_english():
    assert i18n.localize({"sv": "Hej", "en": "Hello"}, "en") == "Hello"
    assert i18n.localize({"sv": "Hej", "en": "Hello"}, "ar") == "Hej"
    assert i18n.localize("Samma", "en") == "Samma"
