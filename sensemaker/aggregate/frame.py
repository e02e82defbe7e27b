"""A survey's stories as the workshop sees them: answers and plain facts, row by row."""

from dataclasses import dataclass

import numpy as np

from ..analysis import Significations
from ..survey import Survey


def to_days(stamps) -> np.ndarray:
    """ISO times ('2026-11-23T09:30:00+01:00') → their calendar day as told; NaT if unreadable.

    The day is the teller's own local date, as the device reported it.
    """
    heads = [stamp[:10] if isinstance(stamp, str) else "NaT" for stamp in stamps]
    try:
        return np.array(heads, dtype="datetime64[D]")
    except ValueError:
        return np.array([_day(head) for head in heads], dtype="datetime64[D]")


def _day(text: str):
    try:
        return np.datetime64(text, "D")
    except ValueError:
        return np.datetime64("NaT")


@dataclass(frozen=True, eq=False)
class Frame:
    """One row per stored fragment that has numeric answers, in seq order."""

    survey: Survey
    seqs: np.ndarray  # (n,) int64
    significations: Significations  # every numeric question
    languages: np.ndarray  # (n,) str
    prompts: np.ndarray  # (n,) str, "" when none
    days: np.ndarray  # (n,) datetime64[D]

    @property
    def n(self) -> int:
        return len(self.seqs)

    @classmethod
    def build(cls, survey: Survey, seqs, significations: Significations, facts: dict):
        """From the numbers (rows in `seqs` order) and `db.fragment_facts` columns.

        Facts of fragments without numbers are dropped; rows keep the order of `seqs`.
        """
        seqs = np.asarray(seqs, dtype=np.int64)
        if len(seqs) == 0:
            nothing = np.empty(0, dtype=str)
            return cls(survey, seqs, significations, nothing, nothing, np.empty(0, "datetime64[D]"))
        fact_seqs = np.asarray(facts["seq"], dtype=np.int64)
        order = np.argsort(fact_seqs, kind="stable")
        where = order[np.clip(np.searchsorted(fact_seqs[order], seqs), 0, max(len(order) - 1, 0))]
        if len(fact_seqs) == 0 or not (fact_seqs[where] == seqs).all():
            raise ValueError("facts are missing for some fragments")

        def column(name, empty=""):
            values = np.asarray([empty if v is None else v for v in facts[name]], dtype=object)
            return values[where].astype(str)

        days = to_days(facts["collected_at"])[where]
        return cls(survey, seqs, significations, column("language"), column("prompt"), days)

    def rows_of(self, seqs) -> np.ndarray:
        """Row numbers of the given seqs that are in the frame (others left out)."""
        seqs = np.asarray(seqs, dtype=np.int64)
        rows = np.searchsorted(self.seqs, seqs)
        rows = np.clip(rows, 0, max(self.n - 1, 0))
        return rows[(self.seqs[rows] == seqs)] if self.n else rows[:0]

    def mask_of(self, seqs) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        mask[self.rows_of(seqs)] = True
        return mask
