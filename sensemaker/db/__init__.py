"""All SQLite work lives in this package: connections, migrations, reads and writes.

No module outside it imports sqlite3 or sqlite_utils; the rest of the code passes and
receives plain values, `Survey` and `Fragment` objects. Callers use `from sensemaker import
db` and the names below.
"""

from .connection import applied_migrations, connect, now, writing
from .fragments import (
    CONFLICT,
    CREATED,
    DUPLICATE,
    count_fragments,
    get_fragment,
    insert_fragment,
    insert_fragments,
)
from .surveys import VersionConflict, get_survey, list_surveys, save_survey, survey_versions

__all__ = [
    "CONFLICT", "CREATED", "DUPLICATE", "VersionConflict", "applied_migrations",
    "connect", "count_fragments", "get_fragment", "get_survey", "insert_fragment",
    "insert_fragments", "list_surveys", "now", "save_survey", "survey_versions", "writing",
]  # fmt: skip
