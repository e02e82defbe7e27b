"""Find and mask personal data in story text: identity numbers, phone numbers, e-mail addresses.

Pure functions over strings, run on every submitted story and before every export. The
patterns are written for how Swedes write these things, and each candidate is checked
(check digit, calendar date, digit count) so that ordinary numbers in a story (years,
times, doses, prices, order numbers) are left alone.

The kinds are looked for one after the other, e-mail addresses first (an address is one
unit, and masking it whole also hides any number inside it), then identity numbers, then
phone numbers; each later kind is looked for in the text with the earlier findings blanked
out, as they will be once masked. So an identity number wins over a phone number, findings
never overlap, and a second masking finds nothing new: `mask(mask(text)) == mask(text)`.

Every finding starts and ends at a word boundary: a number glued to letters or digits (a
reference code, a longer number) is not flagged. This keeps ordinary numbers out, and it
means replacing a finding by a placeholder, which begins with "[" and ends with "]", never
changes whether the text around it matches.
"""

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .i18n import LANGUAGES, gettext

KINDS = ("personnummer", "samordningsnummer", "phone", "email")


def placeholder(kind: str, lang: str) -> str:
    """What a finding is replaced with, e.g. `[personnummer]`, from the message catalogue."""
    return f"[{gettext(f'personal.{kind}', lang)}]"


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: its kind and its span `text[start:end]`."""

    kind: str
    start: int
    end: int


def luhn_check_digit(payload: str) -> int:
    """The Luhn (mod 10) check digit to append to the digit string `payload`."""
    total = 0
    # Counting from the right, the digit next to the check digit is doubled, then every
    # other one; a doubled digit above 9 contributes its digit sum (n * 2 - 9).
    for position, char in enumerate(reversed(payload)):
        n = int(char)
        if position % 2 == 0:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return (10 - total % 10) % 10


def luhn_ok(digits: str) -> bool:
    """True when the last digit of `digits` is the Luhn check digit of the ones before it."""
    return (
        len(digits) > 1 and digits.isdecimal() and luhn_check_digit(digits[:-1]) == int(digits[-1])
    )


# -- identity numbers --------------------------------------------------------------------
# YYMMDD or YYYYMMDD, a separator, NNN and the check digit C. The separator is "-" until
# the year a person turns 100 and "+" from then on: with only two year digits, the "+"
# is what tells someone born in 1920 from someone born in 2020. People also write a space,
# or nothing at all; all of these are accepted, since the date and check-digit tests keep
# ordinary numbers out. With the century written out the "+" is redundant but harmless.
_IDENTITY = re.compile(
    r"(?<!\w)(?P<century>\d{2})?(?P<date>\d{6})[-+ \u00a0]?(?P<serial>\d{4})(?!\w)"
)
# Coordination numbers (samordningsnummer) go to people who are not, or not yet,
# registered in Sweden. They use the same layout and check digit, with 60 added to the
# day of birth (61-91), so they can never collide with a personnummer.
_COORDINATION_OFFSET = 60


def _identity_kind(century: str | None, date: str, serial: str) -> str | None:
    """The kind of identity number these parts make, or None when they cannot be one."""
    if not luhn_ok(date + serial):  # the check digit covers the last ten digits only
        return None
    yy, month, day = int(date[:2]), int(date[2:4]), int(date[4:])
    kind = "personnummer"
    if day > _COORDINATION_OFFSET:
        day -= _COORDINATION_OFFSET
        kind = "samordningsnummer"
    if not 1 <= month <= 12 or day < 1:
        return None
    if century is None:
        # The century is unknown: 29 February counts when either 19yy or 20yy is a leap
        # year; every other month has the same length in both centuries.
        years = (1900 + yy, 2000 + yy)
    elif century in ("18", "19", "20"):
        years = (int(century) * 100 + yy,)
    else:
        return None
    if all(day > calendar.monthrange(year, month)[1] for year in years):
        return None
    return kind


def _identity_numbers(text: str) -> Iterator[Finding]:
    for match in _IDENTITY.finditer(text):
        kind = _identity_kind(match["century"], match["date"], match["serial"])
        if kind:
            yield Finding(kind, match.start(), match.end())


# -- phone numbers -----------------------------------------------------------------------
# A Swedish number is the trunk 0 (or +46 / 0046 in its place), an area code of 1-3
# digits (8 Stockholm, 31 Göteborg, 70 mobile, 771 ...) and the subscriber number, written
# as "070-123 45 67", "08-123 456 78", "0701234567" or "+46 70 123 45 67". The national
# number after the 0 has 7-9 digits. The pattern takes the whole chain of digit groups
# (one dash or space after the area code, spaces inside the subscriber number), and
# `_phone_end` picks the longest reading with a plausible digit count. The chain is
# atomic: one glued to a word ("0701234567abc") is refused whole, not cut short. A "+"
# right after it is refused too, so two numbers glued by a "+" are not split differently
# once the first is masked.
_SPACE = " \u00a0"
_PHONE_CHAIN = re.compile(
    rf"(?<![\w+])(?:(?:\+|00)46[{_SPACE}-]?(?:\(0\)[{_SPACE}]?)?|0)"
    rf"(?>(?P<area>[1-9]\d*)(?:[{_SPACE}\u2013-](?P<subscriber>\d+(?:[{_SPACE}]\d+){{0,7}}))?)"
    r"(?![\w+])"
)
_DIGIT_GROUP = re.compile(r"\d+")
_NATIONAL_DIGITS = range(7, 10)


def _phone_end(match: re.Match) -> int | None:
    """End of the longest valid phone number at the start of the chain `match`, or None."""
    area = match["area"]
    digits = len(area)
    best = match.end("area") if digits in _NATIONAL_DIGITS else None
    # Split into area code and subscriber only when the area code looks like one; the only
    # one-digit area code is Stockholm's 8. This keeps dates such as "03-05 2024" out.
    if match["subscriber"] is None or not (area == "8" or 2 <= len(area) <= 3):
        return best
    offset = match.start("subscriber")
    for group in _DIGIT_GROUP.finditer(match["subscriber"]):
        digits += len(group[0])
        if digits > max(_NATIONAL_DIGITS):
            break
        if digits in _NATIONAL_DIGITS:
            best = offset + group.end()
    return best


def _phone_numbers(text: str) -> Iterator[Finding]:
    # One chain can hold two numbers ("0701234567 0707654321"), so the scan goes on where
    # a number ends, not where its chain ends.
    position = 0
    while match := _PHONE_CHAIN.search(text, position):
        end = _phone_end(match)
        if end is None:
            position = match.start() + 1
        else:
            yield Finding("phone", match.start(), end)
            position = end


# -- e-mail addresses --------------------------------------------------------------------
# Pragmatic, not RFC 5322: dot-separated local part, "@", dot-separated domain labels of
# letters (å, ä, ö and other Unicode letters included) and digits, a top-level domain of
# at least two letters. Runs of dots are let into the local part so that "mig...anna@x.se"
# is still caught, if with a word too many. A match starts only where a run of local-part
# characters starts, so each character is read once: "a-a-...-a@" costs linear time.
_LOCAL = r"(?<![\w%+.-])\w[\w%+-]*(?:\.+[\w%+-]+)*"
_LABEL = r"[^\W_]+(?:-+[^\W_]+)*"
_EMAIL = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+[^\W\d_]{{2,}}(?!\w)")


def _emails(text: str) -> Iterator[Finding]:
    if "@" in text:
        for match in _EMAIL.finditer(text):
            yield Finding("email", match.start(), match.end())


# -- public functions --------------------------------------------------------------------
_MAYBE = re.compile(r"[\d@]")


def find_personal_data(text: str) -> list[Finding]:
    """All personal data in `text`, sorted by start and never overlapping."""
    if not _MAYBE.search(text):
        return []
    findings = list(_emails(text))
    text = _blank(text, findings)
    identities = list(_identity_numbers(text))
    findings += identities + list(_phone_numbers(_blank(text, identities)))
    return sorted(findings, key=lambda f: f.start)


def has_personal_data(text: str) -> bool:
    """True when `text` holds any personal data; stops at the first finding.

    Gives the same answer as `bool(find_personal_data(text))` while skipping the blanking:
    a candidate that blanking would have removed overlaps a finding of a stronger kind.
    """
    if not _MAYBE.search(text):
        return False
    candidates = (_emails(text), _identity_numbers(text), _phone_numbers(text))
    return any(next(found, None) for found in candidates)


def mask(text: str, findings: list[Finding] | None = None, lang: str = "sv") -> str:
    """`text` with every finding replaced by a placeholder such as "[personnummer]".

    The placeholders name what was removed and reveal none of it; `lang` is "sv" (for
    exports read by Swedish analysts) or "en". Text outside the findings is kept as is.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"no placeholders for language {lang!r}; use one of {LANGUAGES}")
    if findings is None:
        findings = find_personal_data(text)
    placeholders = {kind: placeholder(kind, lang) for kind in KINDS}
    parts, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            raise ValueError(f"findings overlap at {finding.start}")
        parts += [text[position : finding.start], placeholders[finding.kind]]
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


def _blank(text: str, findings: list[Finding]) -> str:
    """`text` with each finding overwritten by "]" (no pattern matches it), same length."""
    parts, position = [], 0
    for finding in findings:  # in text order, as the scanners yield them
        parts += [text[position : finding.start], "]" * (finding.end - finding.start)]
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)
