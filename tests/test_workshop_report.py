"""The workshop report: one self-contained HTML file, no script, nothing from elsewhere."""

import base64
import re

import pytest

from sensemaker import db

from .test_security import PageScan
from .test_workshop import external_hosts, get
from .workshop_helpers import observe, store, store_generated, told

SURVEY = "all_kinds"
URL = f"/workshop/{SURVEY}/report.html"


@pytest.fixture
def kept(database, all_kinds, users):
    """Stories, one with a phone number and markup, and an observation that keeps it."""
    store_generated(database, all_kinds, 60, seed=8)
    store(database, all_kinds, [told(all_kinds, "Ring <b>mig</b> på 070-123 45 67 i natt.",
                                     {"role": "staff", "safety": [0.5, 0.25, 0.25]},
                                     title="<script>alert(1)</script>")])  # fmt: skip
    seq = database.execute("SELECT max(seq) FROM fragment").fetchone()[0]
    observe(database, title="Natten <i>igen</i>", text="Personalen ringer.", stories=[seq])
    return database


def images(html: str) -> list[str]:
    """Each embedded picture, decoded."""
    found = re.findall(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    return [base64.b64decode(data).decode() for data in found]


def test_the_report_is_one_file_to_download_with_no_script_and_no_other_host(kept, signed_in):
    response = signed_in("facilitator").get(f"{URL}?c.role=staff")
    assert response.status_code == 200 and response.mimetype == "text/html"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="workshop-all_kinds-\d{4}-\d\d-\d\d\.html"',
                        disposition)  # fmt: skip
    html = response.text
    scan = PageScan()
    scan.feed(html)
    assert [p for p in scan.problems if p != "<style>"] == []
    assert "<script" not in html.replace("&lt;script", "") and external_hosts(html) == set()
    assert re.findall(r'(?:src|href)="([^"]+)"', html) and all(
        url.startswith("data:image/svg+xml;base64,")
        for url in re.findall(r'(?:src|href)="([^"]+)"', html)
    )
    pictures = images(html)
    assert len(pictures) >= 8 and all(p.lstrip().startswith("<svg") for p in pictures)
    assert all("<script" not in p and 'href="http' not in p for p in pictures)
    assert "@media print" in html and "Om metoderna" in html


def test_the_report_holds_the_observations_their_pictures_and_stories(kept, signed_in):
    html = signed_in("facilitator").get(URL).text
    assert "Natten &lt;i&gt;igen&lt;/i&gt;" in html and "Personalen ringer." in html
    observation = html[html.index("Natten &lt;i&gt;igen") : html.index('id="report-overview"')]
    assert len(images(observation)) == 1  # the picture it came from, with its filter
    assert "Vad gav trygghet?" in images(observation)[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in observation
    assert "Ring &lt;b&gt;mig&lt;/b&gt; på" in observation
    assert "070-123 45 67" not in html  # personal data stays hidden


def test_the_report_holds_only_what_was_chosen(kept, signed_in, database):
    html = signed_in("facilitator").get(f"{URL}?part=pictures&question=pace&lang=en").text
    assert len(images(html)) == 1 and "How was the pace?" in images(html)[0]
    assert "report-observations" not in html and "About the methods" in html
    entry = db.audit_entries(database, action="workshop.report")[0]
    assert entry["details"]["parts"] == ["pictures"] and entry["survey_id"] == SURVEY


def test_the_report_page_offers_the_choices(kept, signed_in):
    page = get(signed_in("facilitator"), f"/workshop/{SURVEY}/report?c.role=staff")
    assert 'action="/workshop/all_kinds/report.html"' in page.text
    assert 'name="c.role" value="staff"' in page.text
    assert "Iakttagelser i enkäten: 1." in page.text
