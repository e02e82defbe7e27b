"""Reading CSV cells and definition texts: numbers, flags, HTML, wrapped values, ids."""

import csv
import html
import io
import math
import re
import unicodedata
from html.parser import HTMLParser

from ..definition import ID_PATTERN


def unwrap(value):
    """A value without the one-element arrays SenseMaker wraps many values in."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def listed(value) -> list:
    """A list value, also when it has one element (which must not be unwrapped) or came
    as a bare object."""
    while isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        value = value[0]
    if isinstance(value, dict) and value:
        return [value]
    return value if isinstance(value, list) else []


class _PlainText(HTMLParser):
    BREAKS = {"br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(value) -> str:
    """A definition text as plain text: tags dropped, entities decoded, spaces collapsed."""
    value = unwrap(value)
    if isinstance(value, dict):  # a text per language: Swedish first, as surveys are
        value = value.get("sv") or value.get("en") or next(iter(value.values()), "")
        value = unwrap(value)
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    if "<" in value or "&" in value:
        parser = _PlainText()
        parser.feed(value)
        parser.close()
        value = html.unescape("".join(parser.parts))
    return " ".join(value.split())


_NOT_ID = re.compile(r"[^a-z0-9_-]+")


def identifier(raw, taken: set[str], fallback: str = "q") -> str:
    """A survey id (a-z, 0-9, _ and -, at most 63, starting with a letter or digit) made
    from `raw`, unique among `taken` (which it joins)."""
    # Letters such as å, ä, ö and é lose their marks ("vård" → "vard") before the rest of
    # what an id may not hold becomes "-".
    text = unicodedata.normalize("NFKD", str(unwrap(raw) or "").strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NOT_ID.sub("-", text).strip("-_")
    text = text[:63] or fallback
    candidate, number = text, 2
    while candidate in taken or not ID_PATTERN.match(candidate):
        suffix = f"-{number}"
        candidate = (text[: 63 - len(suffix)] + suffix).lstrip("-_") or f"{fallback}{suffix}"
        number += 1
    taken.add(candidate)
    return candidate


class CellError(ValueError):
    """A cell that cannot be read; `key` names the message."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def number(cell: str) -> float | None:
    """A number cell: None when blank; CellError when not a finite number."""
    cell = cell.strip()
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise CellError("import.not_a_number", value=cell[:40]) from None
    if not math.isfinite(value):
        raise CellError("import.not_a_number", value=cell[:40])
    return value


TRUE = {"1", "1.0", "true", "yes", "x"}
FALSE = {"", "0", "0.0", "false", "no"}


def flag(cell: str) -> bool:
    """A 1-or-blank cell (N/A columns, multiple-choice columns)."""
    text = cell.strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError("import.not_a_flag", value=cell[:40])


def read_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a UTF-8 CSV (a BOM is dropped; quoted fields may hold line
    breaks). Raises CellError when the file is not UTF-8 or has no header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CellError("import.not_utf8", position=error.start) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CellError("import.empty_csv") from None
    except csv.Error as error:
        raise CellError("import.bad_csv", error=str(error)) from None
    try:
        rows = list(reader)
    except csv.Error as error:
        raise CellError("import.bad_csv", error=str(error)) from None
    return [name.strip() for name in header], rows
