"""What the workshop draws, computed before any chart is made: pure numpy over plain data.

No Flask and no database in here. The workshop layer loads a survey's answers into a
`Frame`, a `Filter` picks fragments from it, and each question kind gets its picture data
(triangular bins, histogram counts, shares, spreads) as plain dicts for `sensemaker.charts`.
A `Selection` says which stories sit behind a click or a brush on a picture.
"""

from .filters import Filter, FilterProblem
from .frame import Frame
from .pictures import picture
from .selections import Selection, SelectionError

__all__ = ["Filter", "FilterProblem", "Frame", "Selection", "SelectionError", "picture"]
