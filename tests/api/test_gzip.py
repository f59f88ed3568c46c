"""Large answers travel compressed to clients that accept gzip; small ones stay plain."""

from __future__ import annotations

from tests.api.conftest import TestClient

QUERY = {"origin": "Xi'an", "destination": "Istanbul", "samples": 200, "depart": "2026-03-01"}


def test_a_comparison_is_gzipped_and_decodes_to_the_same_document(client: TestClient) -> None:
    plain = client.get("/api/v1/compare", params=QUERY, headers={"Accept-Encoding": "identity"})
    packed = client.get("/api/v1/compare", params=QUERY, headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.json() == plain.json()  # the client decoded it
    size = len(plain.content)
    assert size > 20_000
    # what went over the wire: JSON with repeated keys packs to well under half
    assert packed.num_bytes_downloaded < size / 2


def test_small_answers_are_not_compressed(client: TestClient) -> None:
    resp = client.get("/health", headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200
    assert "content-encoding" not in resp.headers
