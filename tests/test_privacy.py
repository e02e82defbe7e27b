"""Personal data in story text is found and masked; ordinary numbers are left alone."""

import time
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sensemaker.privacy import (
    Finding,
    find_personal_data,
    has_personal_data,
    luhn_check_digit,
    luhn_ok,
    mask,
)


def reference_check_digit(payload: str) -> int:
    """Luhn check digit written the textbook way, independent of the module's version."""
    digits = [int(c) for c in payload]
    # Weights 2, 1, 2, 1 ... from the left for the nine digits of YYMMDDNNN.
    products = [d * (2 if i % 2 == 0 else 1) for i, d in enumerate(digits)]
    total = sum(p // 10 + p % 10 for p in products)
    return (10 - total % 10) % 10


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text)]


class TestLuhn:
    # Worked by hand: 8 1 1 2 1 8 9 8 7 weighted 2 1 2 1 ... gives 7+1+2+2+2+8+9+8+5 = 44,
    # so the check digit is 6; 1 2 1 2 1 2 1 2 1 gives 18, check digit 2.
    @pytest.mark.parametrize("number", ["8112189876", "1212121212", "7010632391", "79927398713"])
    def test_known_valid_numbers(self, number):
        assert luhn_ok(number)

    @pytest.mark.parametrize("number", ["8112189875", "1212121213", "", "7", "81121898x6"])
    def test_wrong_or_malformed_numbers(self, number):
        assert not luhn_ok(number)

    @given(st.text(alphabet="0123456789", min_size=1, max_size=12))
    def test_check_digit_agrees_with_reference_and_validates(self, payload):
        digit = luhn_check_digit(payload)
        if len(payload) % 2 == 1:  # the reference weighs from the left, as for YYMMDDNNN
            assert digit == reference_check_digit(payload)
        assert luhn_ok(payload + str(digit))
        assert not luhn_ok(payload + str((digit + 1) % 10))


class TestIdentityNumbers:
    @pytest.mark.parametrize(
        "number",
        [
            "811218-9876",  # Skatteverket's example
            "19811218-9876",
            "198112189876",
            "8112189876",
            "811218 9876",
            "121212-1212",
            "400307-2347",
            "400307+2347",  # over 100: born 1840
        ],
    )
    def test_valid_personnummer_is_found_whole(self, number):
        text = f"Mitt nummer är {number}, skriv det inte."
        assert kinds(text) == [("personnummer", number)]

    def test_coordination_number_has_its_own_kind(self):
        # Day 63 is the 3rd plus 60; 7 0 1 0 6 3 2 3 9 weighted 2 1 2 1 ... sums to 29 -> 1.
        assert kinds("Samordningsnummer 701063-2391.") == [("samordningsnummer", "701063-2391")]
        assert kinds("19701063-2391") == [("samordningsnummer", "19701063-2391")]

    @pytest.mark.parametrize(
        "text",
        [
            "811218-9875",  # wrong check digit
            "8112189875",
            "811332-1239",  # month 13
            "810230-1234",  # 30 February
            "810100-1237",  # day 0
            "810160-1234",  # day 60 is neither a date nor a coordination day
            "810192-1234",  # coordination day 32
            "17811218-9876",  # no one alive was born in the 1700s
            "1811218-9876",  # embedded in a longer digit run
            "811218-98761",
            "98112189876",
        ],
    )
    def test_impossible_numbers_are_not_flagged(self, text):
        assert find_personal_data(text) == []

    def test_29_february_needs_a_leap_year(self):
        # 000229-1235 can be 2000 (a leap year); 810229 is never one.
        assert kinds("000229-1235") == [("personnummer", "000229-1235")]
        assert kinds("20000229-1235") == [("personnummer", "20000229-1235")]
        assert find_personal_data("19000229-1235") == []  # 1900 was not a leap year
        payload = "810229123"
        assert find_personal_data(payload + str(luhn_check_digit(payload))) == []


class TestPhoneNumbers:
    @pytest.mark.parametrize(
        "number",
        [
            "070-123 45 67",
            "0701234567",
            "070 123 45 67",
            "070-1234567",
            "+46 70 123 45 67",
            "+46701234567",
            "0046 70 123 45 67",
            "0046701234567",
            "+46 (0)70-123 45 67",
            "08-123 456 78",
            "08-12 34 56",
            "031-12 34 56",
            "0771-12 34 56",
            "020–12 34 56",  # en dash, as word processors write it
        ],
    )
    def test_swedish_formats_are_found_whole(self, number):
        assert kinds(f"Ring mig på {number} efter lunch.") == [("phone", number)]

    @pytest.mark.parametrize(
        "text",
        [
            "Det hände 2024.",
            "kl. 14.30 kom hon",
            "kl 08:15",
            "den 2024-03-05",
            "den 05-03-2024",
            "den 08-03-2024",
            "03-05 2024",
            "500 mg paracetamol",
            "0,5 mg",
            "det kostar 1 250 kr",
            "rum 0312 på plan 2",
            "rum 12",
            "ordernummer 100234567891",
            "ordernummer 0012345678901",
            "referens 01234567891234",
            "070-12 34",  # too short
        ],
    )
    def test_ordinary_numbers_are_not_flagged(self, text):
        assert find_personal_data(text) == []

    def test_digits_after_a_complete_number_are_left_out(self):
        # Reading a phone number too far is worse than stopping early: the number is kept
        # whole and the count after it stays visible.
        text = "Jag ringde 08-123 456 78 10 gånger"
        assert kinds(text) == [("phone", "08-123 456 78")]

    def test_identity_number_wins_over_phone_number(self):
        # 0112189876 is both a possible mobile number and a valid personnummer (2001).
        payload = "011218987"
        number = payload + str(luhn_check_digit(payload))
        assert kinds(f"nummer {number}") == [("personnummer", number)]

    def test_phone_stops_before_a_following_identity_number(self):
        text = "0771 123 456 811218-9876"
        assert kinds(text) == [("phone", "0771 123 456"), ("personnummer", "811218-9876")]


class TestEmail:
    @pytest.mark.parametrize(
        "address",
        ["anna.svensson@exempel.se", "per@vårdcentralen-åby.se", "o.k+vård@region.örebro.se"],
    )
    def test_addresses_are_found_whole(self, address):
        assert kinds(f"Mejla ({address}).") == [("email", address)]

    @pytest.mark.parametrize("text", ["anna@exempel", "@exempel.se", "anna@ .se", "a @ b.se"])
    def test_incomplete_addresses_are_not_flagged(self, text):
        assert find_personal_data(text) == []

    def test_number_inside_an_address_goes_with_the_address(self):
        assert kinds("skriv till 8112189876@sms.se") == [("email", "8112189876@sms.se")]


STORY = (
    "Mamma (400307-2347) flyttade till Solgården 2019. Den 2024-03-05 kl. 14.30 fick hon "
    "500 mg i stället för 50 mg. Sköterskan sa att jag kunde ringa 070-123 45 67 eller "
    "mejla lena.berg@solgården.se, men ingen svarade. Växeln, 08-123 456 78, kopplade "
    "fram och tillbaka. Rummet kostar nu 1 250 kr mer. Min bror har samordningsnummer "
    "19701063-2391 och ringer från +46 31 12 34 56."
)


class TestMask:
    def test_realistic_story_is_masked_exactly(self):
        assert mask(STORY) == (
            "Mamma ([personnummer]) flyttade till Solgården 2019. Den 2024-03-05 kl. 14.30 "
            "fick hon 500 mg i stället för 50 mg. Sköterskan sa att jag kunde ringa "
            "[telefonnummer] eller mejla [e-postadress], men ingen svarade. Växeln, "
            "[telefonnummer], kopplade fram och tillbaka. Rummet kostar nu 1 250 kr mer. "
            "Min bror har samordningsnummer [samordningsnummer] och ringer från [telefonnummer]."
        )

    def test_english_placeholders(self):
        masked = mask(STORY, lang="en")
        for placeholder in [
            "[personal identity number]",
            "[coordination number]",
            "[phone number]",
            "[e-mail address]",
        ]:
            assert placeholder in masked
        assert "2347" not in masked and "lena" not in masked

    @pytest.mark.parametrize(
        "text",
        [
            "0@exempel.se070811218",
            "070-123 45 67a@b.se",
            "a@b.se0a@b.se",
            "a@b.se-x@c.se",
            "0701234567+46701234567",
            "811218-9876+46701234567",
            "811218 9876a@b.se",
        ],
    )
    def test_masking_twice_changes_nothing_where_findings_touch(self, text):
        once = mask(text)
        assert mask(once) == once

    def test_numbers_glued_to_words_are_not_flagged(self):
        assert find_personal_data("ref8112189876 och kod0701234567x") == []
        assert kinds("pnr:8112189876, tel.0701234567") == [
            ("personnummer", "8112189876"),
            ("phone", "0701234567"),
        ]

    def test_given_findings_are_the_ones_masked(self):
        text = "ring 070-123 45 67 nu"
        assert mask(text, [Finding("phone", 5, 18)]) == "ring [telefonnummer] nu"
        assert mask(text, []) == text

    def test_overlapping_findings_and_unknown_language_are_refused(self):
        with pytest.raises(ValueError, match="overlap"):
            mask("0701234567", [Finding("phone", 0, 10), Finding("phone", 5, 10)])
        with pytest.raises(ValueError, match="fi"):
            mask("0701234567", lang="fi")

    def test_has_personal_data(self):
        assert has_personal_data(STORY)
        assert has_personal_data("mejla anna@exempel.se")
        assert not has_personal_data("Den 2024-03-05 kl. 14.30 fick hon 500 mg.")
        assert not has_personal_data("")

    def test_a_long_story_is_scanned_in_well_under_5_ms(self):
        story = (STORY + " ") * (10_000 // len(STORY) + 1)
        story = story[:10_000]
        timings = []
        for _ in range(20):
            begun = time.perf_counter()
            find_personal_data(story)
            timings.append(time.perf_counter() - begun)
        assert min(timings) < 0.005


SWEDISH_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöÅÄÖ,.!?:;()\"'-", max_size=12)
NO_DIGITS_NO_AT = st.text().filter(lambda t: "@" not in t and not any(c.isdigit() for c in t))
# Pieces that make near-misses likely: parts of numbers, separators, addresses.
PIECES = st.sampled_from(
    ["0", "070", "08", "+46", "0046", "811218", "9876", "2391", "12", "45 67", "(0)", "-", "+",
     " ", "\u00a0", "–", "@", "anna", ".", "exempel.se", "å", "x", "070-123 45 67",
     "8112189876", "701063-2391", "a@b.se"]
)  # fmt: skip
TRICKY_TEXT = st.lists(PIECES | st.text(max_size=4), max_size=25).map("".join)


@st.composite
def identity_numbers(draw) -> tuple[str, str]:
    """A valid personnummer or samordningsnummer in any accepted spelling, with its kind."""
    born = draw(st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)))
    coordination = draw(st.booleans())
    day = born.day + (60 if coordination else 0)
    payload = f"{born:%y%m}{day:02d}{draw(st.integers(0, 999)):03d}"
    check = reference_check_digit(payload)
    century = draw(st.sampled_from(["", f"{born.year // 100}"]))
    if not century and born.month == 2 and born.day == 29:
        century = str(born.year // 100)  # only guaranteed with the century spelled out
    separator = draw(st.sampled_from(["-", "+", " ", ""]))
    number = f"{century}{payload[:6]}{separator}{payload[6:]}{check}"
    return number, "samordningsnummer" if coordination else "personnummer"


class TestProperties:
    @given(NO_DIGITS_NO_AT)
    def test_text_without_digits_or_at_is_unchanged(self, text):
        assert find_personal_data(text) == []
        assert mask(text) == text

    @given(TRICKY_TEXT)
    def test_masking_is_idempotent(self, text):
        once = mask(text)
        assert mask(once) == once

    @given(TRICKY_TEXT)
    def test_findings_are_sorted_disjoint_and_agree_with_has(self, text):
        findings = find_personal_data(text)
        assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))
        assert all(0 <= f.start < f.end <= len(text) for f in findings)
        assert has_personal_data(text) == bool(findings)

    @given(TRICKY_TEXT)
    def test_text_between_findings_is_kept(self, text):
        # Walk the masked text: gap, placeholder, gap, ... must be exactly the original gaps.
        masked, position, cursor = mask(text, lang="en"), 0, 0
        for finding in find_personal_data(text):
            between = text[position : finding.start]
            assert masked.startswith(between, cursor)
            cursor += len(between)
            assert masked[cursor] == "["
            cursor = masked.index("]", cursor) + 1
            position = finding.end
        assert masked[cursor:] == text[position:]

    @given(SWEDISH_WORDS, identity_numbers(), SWEDISH_WORDS)
    def test_embedded_identity_number_is_found_with_its_span(self, before, number, after):
        number, kind = number
        text = f"{before} {number} {after}"
        start = len(before) + 1
        assert find_personal_data(text) == [Finding(kind, start, start + len(number))]
