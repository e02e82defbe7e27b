"""What the server adds to a valid fragment before storing it, whatever door it came in.

The form and API, the bulk loader and the generator all store fragments through here, so
every stored story is scanned for personal data and gets its numeric answers.
"""

from . import db, fragments, privacy, signification, withdrawal
from .survey import Survey


def personal_data(fragment: fragments.Fragment, survey: Survey) -> tuple[str, ...]:
    """The kinds of personal data found in anything the teller typed."""
    found = {
        finding.kind
        for text in fragments.free_texts(fragment, survey)
        for finding in privacy.find_personal_data(text)
    }
    return tuple(sorted(found))


def prepare(fragment, survey: Survey, sha: str, *, source="capture", link_id=None,
            receipt: str | None = None, while_open: bool = False) -> db.Stored:  # fmt: skip
    """The `Stored` record for a fragment; `receipt` is the code the teller will be given,
    `while_open` that it may be stored only while the survey is open to all."""
    return db.Stored(
        body_sha256=sha,
        source=source,
        receipt_sha256=withdrawal.receipt_hash(receipt) if receipt else None,
        personal_data=personal_data(fragment, survey),
        link_id=link_id,
        vector=signification.encode(survey, fragment.answers),
        while_open=while_open,
    )
