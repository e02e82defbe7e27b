"""The capture benchmark's load: a story is never sent twice under one id."""

import importlib.util
import json

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("bench_capture", ROOT / "bench" / "capture.py")
capture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(capture)


def _body(request: bytes) -> dict:
    head, _, body = request.partition(b"\r\n\r\n")
    length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    assert len(body) == length
    return json.loads(body)


def test_a_request_sent_again_carries_a_new_id_and_nothing_else_new():
    request = capture.request_bytes("POST", "/api/v1/surveys/s/fragments", capture.bodies(1, 1)[0])
    again = capture.with_fresh_id(request)
    first, second = _body(request), _body(again)
    assert second["id"] != first["id"]
    assert len(second["id"]) == 36
    assert {**second, "id": first["id"]} == first
    assert _body(capture.with_fresh_id(again))["id"] not in (first["id"], second["id"])


def test_a_request_without_a_story_is_sent_as_it_was():
    health = capture.request_bytes("GET", "/api/v1/health")
    assert capture.with_fresh_id(health) == health
