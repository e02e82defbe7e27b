"""The analyst's download page: who may download, what the file is, and the audit entry."""

import html
import io
import json
import zipfile

import openpyxl
import pandas as pd
import pytest

from sensemaker import db, findings, fragments, intake
from sensemaker.generate import generate_fragments

SURVEY = "all_kinds"


@pytest.fixture
def stored(database, all_kinds):
    batch = generate_fragments(all_kinds, 30, seed=5)
    db.insert_fragments(database, [
        (f, intake.prepare(f, all_kinds, fragments.body_hash(f.as_body())))
        for f in batch.fragments
    ])  # fmt: skip
    return database


def test_the_page_offers_formats_runs_and_filters(stored, signed_in):
    stored_run, _ = findings.run_clustering(stored, SURVEY, k=2, seed=1)
    page = signed_in("analyst").get(f"/analyst/{SURVEY}?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for fmt in ("csv", "csv-excel-sv", "xlsx", "json", "parquet", "zip"):
        assert f'value="{fmt}"' in text
    assert f'<option value="{stored_run.id}"' in text
    assert "<code>patient</code>" in text and "30 stories" in text
    assert "Personal data in free text is masked." in text


def test_the_overview_links_to_the_page(stored, signed_in):
    page = signed_in("analyst").get("/overview").get_data(as_text=True)
    assert f'href="/analyst/{SURVEY}"' in page


def test_a_download_streams_a_named_file_and_is_audited(stored, signed_in, users):
    response = signed_in("analyst").get(
        f"/analyst/{SURVEY}/export?format=csv&filter=role%3Dpatient&filter=&run="
    )
    assert response.status_code == 200 and response.is_streamed
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{SURVEY}-') and disposition.endswith(
        '.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    frame = pd.read_csv(io.BytesIO(response.get_data()))
    assert len(frame) > 0 and set(frame["role"]) == {"patient"}
    entry = db.audit_entries(stored, action="export")[0]
    assert entry["actor"] == users["analyst"]["email"] and entry["survey_id"] == SURVEY
    assert entry["details"]["filters"] == ["role=patient"] and entry["details"]["format"] == "csv"


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_workbooks_and_bundles_download_whole(stored, signed_in, fmt):
    response = signed_in("facilitator").get(f"/analyst/{SURVEY}/export?format={fmt}&layout=wide")
    assert response.status_code == 200
    data = io.BytesIO(response.get_data())
    if fmt == "xlsx":
        assert openpyxl.load_workbook(data, read_only=True).sheetnames == ["data", "codebook"]
    else:
        assert "codebook.md" in zipfile.ZipFile(data).namelist()


@pytest.mark.parametrize("query, message", [
    ("format=sav", "Okänt format 'sav'"),
    ("format=csv&filter=role%3Dking", "har inget alternativ 'king'"),
    ("format=csv&run=abc", "ingen klustring abc"),
    ("format=csv&run=99", "ingen klustring 99"),
    ("format=xlsx&layout=long", "Långt format"),
])  # fmt: skip
def test_a_bad_request_shows_the_page_with_a_message(stored, signed_in, query, message):
    response = signed_in("analyst").get(f"/analyst/{SURVEY}/export?{query}&lang=sv")
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert db.audit_entries(stored, action="export") == []


def test_those_not_assigned_get_nothing(stored, signed_in):
    for role in ("outsider", "admin"):
        client = signed_in(role)
        for url in (f"/analyst/{SURVEY}", f"/analyst/{SURVEY}/export?format=csv"):
            response = client.get(url)
            assert response.status_code == 403
            assert "fragment_id" not in response.get_data(as_text=True)
    assert db.audit_entries(stored, action="export") == []


def test_unknown_survey_is_404(stored, signed_in):
    assert signed_in("analyst").get("/analyst/finns-inte").status_code == 404


@pytest.mark.parametrize("kind", ["md", "json"])
def test_the_codebook_follows_the_chosen_settings_and_reads_no_story(stored, signed_in, kind):
    stored_run, _ = findings.run_clustering(stored, SURVEY, k=2, seed=1)
    query = f"as={kind}&format=parquet&run={stored_run.id}&filter=role%3Dstaff&lang=en"
    response = signed_in("analyst").get(f"/analyst/{SURVEY}/codebook?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'{SURVEY}-codebook.{kind}"')
    text = response.get_data(as_text=True)
    if kind == "json":
        book = json.loads(text)
        assert book["filters"] == ["role=staff"] and book["cluster_run"]["id"] == stored_run.id
        assert "cluster" in [c["name"] for c in book["columns"]] and "rows" not in book
    else:
        assert "`cluster`" in text and "`role=staff`" in text and "# Codebook" in text
    assert db.audit_entries(stored, action="export") == []


def test_a_codebook_for_a_bad_filter_is_refused(stored, signed_in):
    response = signed_in("analyst").get(f"/analyst/{SURVEY}/codebook?as=md&filter=nej")
    assert response.status_code == 422
