"""Reading a submitted body and its fingerprint: orjson where it agrees with the json
module, the json module everywhere else, so that neither the values read nor the
fingerprint of a body changed when orjson came in (a story stored before is still
recognised when its tablet sends it again)."""

import hashlib
import json
import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sensemaker import fragments


def python_hash(body) -> str:
    """The fingerprint as every earlier version wrote it."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Every double, the small ones where the two libraries write numbers differently, and
# text with the very characters that could fool the quick check for those.
doubles = st.floats(allow_nan=False, allow_infinity=False)
small = st.floats(min_value=-1e-4, max_value=1e-4, allow_nan=False)
text = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    [",1e-5", "[0.00001", "e-post", ":-2.5e-7", "0.0000", '\x00\x1f\x7f\u2028"\\/']
)
integers = st.integers(min_value=-(2**63), max_value=2**64 - 1)
values = st.recursive(
    st.none() | st.booleans() | integers | doubles | small | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(body=st.dictionaries(text, values, max_size=6))
@example(body={"answers": {"t": [1e-05, 0.99999, 0.0]}, "id": "8e-4a"})
@example(body={"answers": {"t": [5e-324, 1e16, 1e-4, 9.99e-5]}})
def test_the_fingerprint_is_the_one_python_json_writes(body):
    assert fragments.body_hash(body) == python_hash(body)


@settings(max_examples=400, deadline=None)
@given(body=st.dictionaries(text, values, max_size=6))
def test_a_body_reads_as_the_json_module_reads_it(body):
    sent = json.dumps(body, ensure_ascii=False).encode()
    read, sha = fragments.read_body(sent)
    assert read == json.loads(sent)
    assert sha == python_hash(json.loads(sent))


@pytest.mark.parametrize(
    "sent",
    [b'{"a": NaN}', b'{"a": Infinity}', b'{"a": "\\ud800"}', b"[" * 5000 + b"]" * 5000,
     b'{"a": 1', b"\xff", "{\"a\": \"\ud800\"}"],
)  # fmt: skip
def test_what_cannot_be_stored_is_unreadable(sent):
    with pytest.raises(ValueError, match="unreadable JSON"):
        fragments.read_body(sent)


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        (b'\xef\xbb\xbf{"a": 1}', {"a": 1}),  # a byte-order mark, as the json module reads
        (b'{"a": 1e400}', {"a": math.inf}),  # too large for orjson: a field will refuse it
        ('{"a": "å"}', {"a": "å"}),  # text as well as bytes
    ],
)
def test_what_orjson_refuses_is_read_by_the_json_module(sent, expected):
    assert fragments.read_body(sent)[0] == expected


def test_an_integer_past_64_bits_is_read_as_a_float():
    """The one difference from the json module, and no valid answer holds such a number:
    counts and versions are far smaller, and a survey version that is not a usable
    integer is not used either way."""
    body, _ = fragments.read_body(b'{"survey_version": 100000000000000000000000000000000}')
    assert body == {"survey_version": 1e32} and isinstance(body["survey_version"], float)
