"""The conformance report: files written, JSON valid against the shipped schema, statuses."""

import json
import subprocess
import sys

import jsonschema
import pytest

from conformance.report import SCHEMA_PATH


def _run_suite(tmp_path, backend, *args):
    cmd = [sys.executable, "-m", "pytest", "conformance/tests/test_pointwise.py", "-q",
           "-p", "no:cacheprovider", f"--backend={backend}", f"--report-dir={tmp_path}",
           "-k", "sigmoid or relu or non_tensor", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True,
                          env={**__import__("os").environ, "HYPOTHESIS_PROFILE": "ci"})
    return proc, tmp_path / backend.replace("conformance.mutants:", "mutant-")


@pytest.mark.parametrize("backend", ["torch", "refimpl"])
def test_report_files_exist_and_json_validates(tmp_path, backend):
    proc, out = _run_suite(tmp_path, backend)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads((out / "conformance.json").read_text())
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text()))
    assert (out / "conformance.md").exists() and (out / "junit.xml").exists()
    assert data["clauses"]["torch.sigmoid"]["status"] == "passed"
    assert data["clauses"]["torch.mm"]["status"] == "not_run"   # deselected by -k
    assert "conformance of backend" in proc.stdout


def test_broken_sigmoid_fails_its_clause_with_a_reproduction(tmp_path):
    proc, out = _run_suite(tmp_path, "conformance.mutants:sigmoid_last_bits")
    assert proc.returncode != 0
    data = json.loads((out / "conformance.json").read_text())
    clause = data["clauses"]["torch.sigmoid"]
    assert clause["status"] == "failed"
    assert "get_backend" in clause["failures"][0]["repro"]
    assert data["clauses"]["torch.relu"]["status"] == "passed"


def test_missing_api_is_reported_missing_not_failed(tmp_path):
    proc, out = _run_suite(tmp_path, "conformance.mutants:tanh_missing", "-k", "tanh")
    data = json.loads((out / "conformance.json").read_text())
    assert data["clauses"]["torch.tanh"]["status"] == "missing"
    assert data["summary"]["missing"] >= 1
