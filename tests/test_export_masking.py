"""Masking in exports: Arrow's pre-filter never passes over text that privacy would mask."""

import re

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from sensemaker import privacy
from sensemaker.export.rows import MAYBE_PERSONAL, masked

PIECES = st.sampled_from(
    ["0", "070", "08", "+46", "0046", "811218", "9876", "2391", "12", "45 67", "(0)", "-", "+",
     " ", "\u00a0", "–", "@", "anna", ".", "exempel.se", "å", "x", "070-123 45 67", "kl 14",
     "8112189876", "701063-2391", "a@b.se", "19811218-9876", "\u0660\u0667", "2024-03-05"]
)  # fmt: skip
TRICKY_TEXT = st.lists(PIECES | st.text(max_size=4), max_size=30).map("".join)


def passed_over(text: str) -> bool:
    return not pc.match_substring_regex(pa.array([text]), MAYBE_PERSONAL)[0].as_py()


@settings(max_examples=400)
@given(TRICKY_TEXT)
def test_privacy_finds_nothing_where_the_filter_finds_no_candidate(text):
    if passed_over(text):
        assert privacy.find_personal_data(text) == []


@given(st.lists(TRICKY_TEXT | st.none(), max_size=8))
def test_masked_column_equals_masking_each_text(texts):
    expected = [None if t is None else privacy.mask(t, lang="sv") for t in texts]
    assert masked(pa.array(texts, pa.string())).to_pylist() == expected


def test_ordinary_numbers_are_not_candidates():
    for text in ("kl 14.30", "80 år", "rum 3, säng 12", "2024", "bara ord"):
        assert passed_over(text)
    for text in ("070-123 45 67", "811218-9876", "a@b.se", "+46 (0)70-123 45 67"):
        assert not passed_over(text)
        assert re.search(r"\[", privacy.mask(text)), text
