"""Every user-visible text in Swedish and English, through one catalogue.

Texts live in `messages.yaml` as `key: {sv: ..., en: ...}`; templates call `_()` and the
browser scripts receive the part of the catalogue they need as JSON. Survey texts are not
here: they belong to the survey file and are localised with `localize()`.
"""

from functools import cache
from pathlib import Path

import yaml

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    path = Path(__file__).with_name("messages.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def gettext(key: str, lang: str, **params) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `params`."""
    entry = _catalogue()[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**params)


def messages(lang: str, prefix: str) -> dict[str, str]:
    """All messages whose key starts with `prefix`, for handing to a browser script."""
    return {
        key: entry.get(lang) or entry[DEFAULT_LANGUAGE]
        for key, entry in _catalogue().items()
        if key.startswith(prefix)
    }


def keys() -> list[str]:
    return list(_catalogue())


def negotiate(requested: str | None, accept_languages, available=LANGUAGES) -> str:
    """Pick the language: an explicit `?lang=` first, then the browser's preference.

    `accept_languages` is Werkzeug's `request.accept_languages` (or None). Falls back to
    Swedish when nothing fits, since Swedish is the language every survey must have.
    """
    if requested in available:
        return requested
    if accept_languages is not None:
        # Werkzeug matches "sv-SE" to "sv" through best_match's language fallback.
        best = accept_languages.best_match(list(available))
        if best:
            return best
    return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in available else available[0]


def localize(text, lang: str, fallbacks=(DEFAULT_LANGUAGE, "en")) -> str:
    """A survey text (`"plain"` or `{sv: ..., en: ...}`) in `lang`, or a fallback language."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for candidate in (lang, *fallbacks):
        if text.get(candidate):
            return text[candidate]
    return next(iter(text.values()), "")
