"""Checking survey definitions: problems with a path, and the checks every kind shares.

A `Problem` names where in the file something is wrong (e.g. `questions[3].labels`) and
what, as a message key from the catalogue so the CLI can say it in Swedish or English.
"""

import re
from dataclasses import dataclass, field

from .i18n import gettext

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
REQUIRED_LANGUAGES = ("sv", "en")


def at(path: str, key) -> str:
    """The path of `key` inside `path`: `at("questions[3]", "labels")` → `questions[3].labels`."""
    return f"{path}.{key}" if path else str(key)


@dataclass(frozen=True)
class Problem:
    path: str
    key: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return gettext(self.key, lang, **self.params)


class Checker:
    """Collects problems while walking one survey file; knows its languages."""

    def __init__(self, languages):
        self.languages = tuple(languages)
        self.problems: list[Problem] = []

    def add(self, path: str, message_key: str, **params) -> None:
        self.problems.append(Problem(path, message_key, params))

    def mapping(self, raw, path: str) -> bool:
        if isinstance(raw, dict):
            return True
        self.add(path, "def.expect_mapping")
        return False

    def list(self, raw, path: str, *, min_items: int = 1) -> bool:
        if not isinstance(raw, list):
            self.add(path, "def.expect_list")
            return False
        if len(raw) < min_items:
            self.add(path, "def.min_items", min=min_items)
            return False
        return True

    def known_keys(self, raw: dict, path: str, allowed) -> None:
        for key in raw:
            if key not in allowed:
                self.add(at(path, key), "def.unknown_key", key=key)

    def text(self, raw: dict, key: str, path: str, *, required: bool = True) -> None:
        """A visible text: a plain string for every language, or one string per language."""
        where = at(path, key)
        if key not in raw or raw[key] is None:
            if required:
                self.add(where, "def.missing")
            return
        value = raw[key]
        if isinstance(value, str):
            if not value.strip() and required:
                self.add(where, "def.empty")
            return
        if not isinstance(value, dict):
            self.add(where, "def.expect_text")
            return
        for lang in self.languages:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.add(where, "def.text_language", language=lang)
        for lang in value:
            if lang not in self.languages:
                self.add(f"{where}.{lang}", "def.text_extra_language", language=lang)

    def flag(self, raw: dict, key: str, path: str) -> None:
        if key in raw and not isinstance(raw[key], bool):
            self.add(at(path, key), "def.expect_bool")

    def integer(self, raw: dict, key: str, path: str, low: int, high: int, required=False):
        where = at(path, key)
        if key not in raw:
            if required:
                self.add(where, "def.missing")
            return
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(where, "def.expect_int")
        elif not low <= value <= high:
            self.add(where, "def.range", low=low, high=high)

    def identifier(self, raw: dict, path: str, seen: set | None = None) -> str | None:
        value = raw.get("id")
        if value is None:
            self.add(f"{path}.id", "def.missing")
            return None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.add(f"{path}.id", "def.bad_id", value=value)
            return None
        if seen is not None:
            if value in seen:
                self.add(f"{path}.id", "def.duplicate_id", value=value)
            seen.add(value)
        return value

    def labelled_list(self, raw: dict, key: str, path: str, *, count=None, min_items=1):
        """A list of `{id, text}` entries, such as triad labels or choice options."""
        where = at(path, key)
        items = raw.get(key)
        if items is None:
            self.add(where, "def.missing")
            return
        if not self.list(items, where, min_items=min_items):
            return
        if count is not None and len(items) != count:
            self.add(where, "def.count", expected=count, actual=len(items))
        seen: set = set()
        for index, item in enumerate(items):
            item_path = f"{where}[{index}]"
            if not self.mapping(item, item_path):
                continue
            self.known_keys(item, item_path, ("id", "text"))
            self.identifier(item, item_path, seen)
            self.text(item, "text", item_path)
