"""Importing stories made elsewhere: SenseMaker® projects, and any CSV with a mapping file.

Both importers turn each CSV row into the body the submission API takes and store it
through the same path as every other story (`fragments.parse`, `intake.prepare(...,
source="import")`, `db.insert_fragments`), so an imported story is checked exactly like
one told on a tablet. A row's fragment id is derived from what identifies the row, so
importing the same file again adds nothing. `check=True` reads and validates everything
and writes nothing. Every problem names its row (as a spreadsheet numbers it: the header is
row 1) and its column. See docs/import.md.
"""

from .report import ImportReport, Problem

__all__ = ["ImportReport", "Problem"]
