"""All SQLite work lives in this package: connections, migrations, reads and writes.

No module outside it imports sqlite3 or sqlite_utils; the rest of the code passes and
receives plain values, `Survey` and `Fragment` objects. Callers use `from sensemaker import
db` and the names below.
"""

from .accounts import (
    ROLES,
    DuplicateUser,
    add_user,
    assign,
    assigned_surveys,
    clear_attempts,
    count_active_admins,
    count_attempts,
    get_user,
    get_user_by_email,
    is_assigned,
    list_users,
    record_attempt,
    unassign,
    update_user,
)
from .analysis import (
    fragment_facts,
    get_cluster_run,
    list_cluster_runs,
    save_cluster_run,
    signification_blobs,
    stories_by_seq,
)
from .audit import entries as audit_entries
from .audit import record as audit
from .collection import (
    LINK_KINDS,
    MODES,
    add_link,
    get_link,
    get_setting,
    link_by_token,
    links,
    revoke_link,
    set_setting,
    set_survey_settings,
    survey_settings,
)
from .connection import (
    applied_migrations,
    backup,
    connect,
    integrity_ok,
    now,
    reading,
    writing,
)
from .export import FRAGMENT_COLUMNS, Selection, fragment_chunks
from .fragment_pages import fragment_page
from .fragments import (
    CLOSED,
    CONFLICT,
    CREATED,
    DUPLICATE,
    LINK_FULL,
    Stored,
    count_fragments,
    delete_by_receipt,
    existing_outcome,
    flagged_fragments,
    get_fragment,
    index_pending,
    insert_fragment,
    insert_fragments,
    purge_before,
    search_ids,
)
from .imports import Ready, insert_imported, ready, stored_hashes
from .kiosks import kiosk_overview, record_kiosk_status
from .shared_writer import store_fragment
from .surveys import (
    VersionConflict,
    get_survey,
    held_open,
    hold_open,
    list_surveys,
    save_survey,
    survey_versions,
)
from .tokens import add_token, get_token, list_tokens, revoke_token, token_by_hash, token_used
from .workshop import (
    add_observation,
    claim_patterns,
    delete_observation,
    get_observation,
    list_observations,
    save_patterns,
    search_seqs,
    shared_patterns,
    stories_for_reading,
    survey_seqs,
    survey_state,
    update_observation,
)
