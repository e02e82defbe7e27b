"""The question kinds: each one checks its definition, parses its answers and encodes
them as numbers for the analysis.

Adding a kind means adding a class (in `geometric` or `choices`) and registering it in
`KINDS`; nothing else in the capture path branches on the kind. Answers arrive in the
shape of the submission API (see docs/surveys.md) and leave `parse` normalised, ready to
store.
"""

from .base import NA, OTHER, TEXT_LIMIT, AnswerError, Question
from .choices import Choice, Text
from .geometric import Dyad, Star, Stones, Triad

KINDS: dict[str, type[Question]] = {
    kind.kind: kind for kind in (Triad, Dyad, Stones, Choice, Star, Text)
}

__all__ = [
    "KINDS", "NA", "OTHER", "TEXT_LIMIT", "AnswerError", "Choice", "Dyad", "Question", "Star",
    "Stones", "Text", "Triad",
]  # fmt: skip
