"""The spec pages (conformance/docs.py): generated from the real specs and from tiny ones."""

import json
import pathlib
import shutil
import subprocess
import sys
import textwrap

import pytest

from conformance import docs
from conformance.specs import load_specs, specs_dir

REPO = pathlib.Path(__file__).resolve().parent.parent

SPEC = """\
module = "torch"
title = "tiny spec"

[[clause]]
id = "tiny.add"
kind = "normative"
source = "doc.txt"
section = "加法"
quote = ["加法返回", "新的张量"]
statement = "add returns a new tensor: a*b is not in-place."
apis = ["add", "no_such_api"]

[[clause]]
id = "tiny.add.alpha"
kind = "derived"
parent = "tiny.add"
reference = "https://pytorch.org/docs/2.13/generated/torch.add.html"
statement = "alpha scales other."
apis = ["Tensor.add_"]
"""


@pytest.fixture
def tiny(tmp_path):
    """A spec dir with two clauses, an empty test dir and a report of backend `fake`."""
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "tiny.toml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_tiny.py").write_text(textwrap.dedent("""\
        import pytest

        @pytest.mark.spec("tiny.add.alpha")
        def test_alpha():
            pass
        """), encoding="utf-8")
    report = {"clauses": {"tiny.add": {"status": "passed",
                                       "tests": ["conformance/tests/test_x.py::test_add[1]"]},
                          "tiny.add.alpha": {"status": "failed", "tests": []}}}
    (tmp_path / "reports" / "fake").mkdir(parents=True)
    (tmp_path / "reports" / "fake" / "conformance.json").write_text(json.dumps(report))
    return tmp_path


def generate(root, out):
    return docs.generate(out, root / "reports", root / "specs", root / "tests",
                         sources=root / "no-sources")


def test_a_page_per_real_spec_file_with_every_clause(tmp_path):
    out = tmp_path / "specs"
    docs.generate(out, tmp_path / "no-reports")
    clauses = load_specs()
    files = sorted(p for p in specs_dir().glob("*.toml") if p.name != "untested.toml")
    assert files
    index = (out / "index.md").read_text(encoding="utf-8")
    for spec_file in files:
        page = (out / f"{spec_file.stem}.md").read_text(encoding="utf-8")
        assert f"({spec_file.stem}.md)" in index
        for clause in clauses.values():
            if clause.file == spec_file.name:
                assert f'<a id="{clause.id}"></a>' in page


def test_clause_page_content(tiny):
    generate(tiny, tiny / "out")
    page = (tiny / "out" / "tiny.md").read_text(encoding="utf-8")
    assert "# tiny spec" in page
    assert "> 加法返回 … 新的张量" in page
    assert "source `doc.txt`, section 「加法」" in page
    assert r"a\*b is not in-place" in page          # Markdown specials escaped
    assert "| `add` | `refimpl/_refs/pointwise.py:" in page
    assert "| `no_such_api` | not implemented in refimpl |" in page
    assert "[`tiny.add`](tiny.md#tiny.add)" in page   # the derived clause links its parent
    assert "| fake | passed |" in page and "| fake | failed |" in page
    # tests from the report (parameters dropped) and from the scan of the test dir
    assert "`conformance/tests/test_x.py` `test_add`" in page
    assert "test_tiny.py:4` `test_alpha`" in page


def test_index_counts_kinds_and_statuses(tiny):
    generate(tiny, tiny / "out")
    index = (tiny / "out" / "index.md").read_text(encoding="utf-8")
    assert "| [tiny](tiny.md) | `torch` | 1 | 0 | 0 | 1 | 0 | 1 / 1 / 0 |" in index


def test_source_url_makes_links(tiny):
    docs.generate(tiny / "out", tiny / "reports", tiny / "specs", tiny / "tests",
                  source_url="https://example.org/repo/blob/main/")
    page = (tiny / "out" / "tiny.md").read_text(encoding="utf-8")
    assert "](https://example.org/repo/blob/main/refimpl/_refs/pointwise.py#L" in page


def test_api_locations():
    path, line = docs.api_location("add")
    assert path == "refimpl/_refs/pointwise.py"
    source = (REPO / path).read_text(encoding="utf-8").splitlines()
    assert "add" in "".join(source[line - 1:line + 1])
    assert docs.api_location("Tensor.add_") == (path, line)   # the method shows the op
    assert docs.api_location("no_such_api") is None
    assert docs.api_location("Tensor.no_such_method") is None


def test_stale_generated_pages_are_removed_and_others_kept(tiny):
    out = tiny / "out"
    out.mkdir()
    (out / "old.md").write_text(docs.GENERATED + "# old\n", encoding="utf-8")
    (out / "mine.md").write_text("# written by hand\n", encoding="utf-8")
    generate(tiny, out)
    assert sorted(p.name for p in out.glob("*.md")) == ["index.md", "mine.md", "tiny.md"]


def test_mkdocs_strict_build(tmp_path):
    pytest.importorskip("mkdocs")
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    shutil.copytree(REPO / "docs", tmp_path / "docs",
                    ignore=shutil.ignore_patterns("specs"))
    docs.generate(tmp_path / "docs" / "specs", tmp_path / "no-reports")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                             "-d", str(tmp_path / "site")], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "specs" / "index.html").exists()
