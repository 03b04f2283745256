"""The traceability check (conformance/traceability.py) on tiny projects built in tmp_path.

Each project has a spec directory, a test directory and one source document; `clean` is a
project that passes, and each test breaks one link of the chain and expects the problem.
"""

import textwrap
import tomllib

import pytest

from conformance import traceability

DOCUMENT = "加法的说明\n张量的加法返回新的张量。这段话讲历史；\n代码如下:\nx = a + b\n"
SENTENCES = ["加法的说明", "张量的加法返回新的张量", "这段话讲历史", "代码如下:", "x=a+b"]

SPEC = """\
module = "torch"
title = "tiny"

[[clause]]
id = "torch.add"
kind = "normative"
source = "doc.txt"
section = "加法的说明"
quote = ["张量的加法返回新的张量"]
statement = "add returns a new tensor."
apis = ["add"]

[[clause]]
id = "torch.add.alpha"
kind = "derived"
parent = "torch.add"
reference = "https://pytorch.org/docs/2.13/generated/torch.add.html"
statement = "alpha scales other."
apis = ["add"]

[[clause]]
id = "torch.example"
kind = "example"
source = "doc.txt"
section = "代码如下"
quote = ["x = a + b"]
statement = "x is a + b."
code = "x = 1"
"""

TESTS = """\
import pytest
from pytest import mark


@pytest.mark.spec("torch.add", "torch.add.alpha")
def test_add():
    pass


class TestExample:
    @mark.spec("torch.example")
    def test_example(self):
        pass
"""

LEDGER = """\
[[skip]]
text = "加法的说明"
reason = "a heading"

[[skip]]
text = "这段话讲历史"
reason = "history"

[[skip]]
text = "代码如下:"
reason = "navigation"
"""


class Project:
    """A tiny spec directory, test directory and source directory under tmp_path."""

    def __init__(self, root):
        self.root = root
        self.specs = root / "specs"
        self.tests = root / "tests"
        self.sources = root / "sources"
        for d in (self.specs / "ledger", self.tests, self.sources):
            d.mkdir(parents=True)
        self.write("specs/mod.toml", SPEC)
        self.write("specs/ledger/doc.toml", LEDGER)
        self.write("tests/test_mod.py", TESTS)
        self.write("sources/doc.txt", DOCUMENT)

    def write(self, name, text):
        (self.root / name).write_text(textwrap.dedent(text), encoding="utf-8")

    def append(self, name, text):
        path = self.root / name
        path.write_text(path.read_text(encoding="utf-8") + textwrap.dedent(text),
                        encoding="utf-8")

    def replace(self, name, old, new):
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    def check(self):
        return traceability.check(self.specs, self.tests, self.sources)


@pytest.fixture
def project(tmp_path):
    return Project(tmp_path)


def only(problems, *words):
    """The single problem containing all words (fails when there is none, or several)."""
    hits = [p for p in problems if all(w in p for w in words)]
    assert len(hits) == 1, problems
    return hits[0]


def test_clean_project_passes(project):
    assert project.check() == []


# -- clauses ------------------------------------------------------------------------------


def test_repeated_clause_id_fails(project):
    project.append("specs/mod.toml", """
        [[clause]]
        id = "torch.add"
        kind = "informative"
        source = "doc.txt"
        quote = ["加法的说明"]
        note = "a duplicate"
        """)
    only(project.check(), "repeats", "torch.add")


def test_unknown_kind_fails(project):
    project.replace("specs/mod.toml", 'kind = "example"', 'kind = "sample"')
    only(project.check(), "torch.example", "unknown kind 'sample'")


def test_missing_required_key_fails(project):
    project.replace("specs/mod.toml", 'apis = ["add"]\n\n[[clause]]\nid = "torch.add.alpha"',
                    '\n[[clause]]\nid = "torch.add.alpha"')
    only(project.check(), "'torch.add'", "needs apis")


def test_derived_clause_with_unknown_parent_fails(project):
    project.replace("specs/mod.toml", 'parent = "torch.add"', 'parent = "torch.plus"')
    only(project.check(), "torch.add.alpha", "parent 'torch.plus' is not a clause")


# -- tests --------------------------------------------------------------------------------


def test_test_without_a_clause_fails(project):
    project.append("tests/test_mod.py", "\n\ndef test_orphan():\n    pass\n")
    only(project.check(), "test_orphan", "test without a clause")


def test_unknown_cited_id_fails(project):
    project.append("tests/test_mod.py", """

        @pytest.mark.spec("torch.add", "torch.nope")
        def test_more():
            pass
        """)
    only(project.check(), "test_more", "unknown clause 'torch.nope'")


def test_module_pytestmark_cites_for_every_test(project):
    project.write("tests/test_mod.py", """\
        import pytest

        pytestmark = [pytest.mark.spec("torch.add", "torch.add.alpha")]


        def test_add():
            pass


        @pytest.mark.spec("torch.example")
        def test_example():
            pass
        """)
    assert project.check() == []
    tests, _ = traceability.scan_tests(project.tests)
    assert {t.name: t.ids for t in tests} == {
        "test_add": ("torch.add", "torch.add.alpha"),
        "test_example": ("torch.add", "torch.add.alpha", "torch.example")}


def test_test_methods_and_class_marks_are_found(project):
    tests, problems = traceability.scan_tests(project.tests)
    assert problems == []
    assert [(t.name, t.ids) for t in tests] == [
        ("test_add", ("torch.add", "torch.add.alpha")),
        ("TestExample::test_example", ("torch.example",))]


def test_spec_mark_with_a_non_literal_id_fails(project):
    project.append("tests/test_mod.py", """

        NAME = "torch.add"

        @pytest.mark.spec(NAME)
        def test_indirect():
            pass
        """)
    problems = project.check()
    only(problems, "string literals")
    only(problems, "test_indirect", "test without a clause")


# -- coverage and untested.toml -----------------------------------------------------------


def test_clause_without_test_fails(project):
    project.replace("tests/test_mod.py", '"torch.add", "torch.add.alpha"', '"torch.add"')
    only(project.check(), "torch.add.alpha", "has no test")


def test_clause_on_untested_list_passes(project):
    project.replace("tests/test_mod.py", '"torch.add", "torch.add.alpha"', '"torch.add"')
    project.write("specs/untested.toml", 'ids = ["torch.add.alpha"]\n')
    assert project.check() == []


def test_untested_clause_that_has_a_test_fails(project):
    project.write("specs/untested.toml", 'ids = ["torch.add"]\n')
    only(project.check(), "'torch.add' now has a test", "untested.toml")


def test_untested_entry_that_is_no_clause_fails(project):
    project.write("specs/untested.toml", 'ids = ["torch.gone"]\n')
    only(project.check(), "'torch.gone' is not a clause")


# -- quotes -------------------------------------------------------------------------------


def test_quote_not_in_document_fails(project):
    project.replace("specs/mod.toml", '"张量的加法返回新的张量"', '"张量的减法返回新的张量"')
    problems = project.check()
    only(problems, "torch.add", "quote", "not found in doc.txt")


def test_quote_matches_across_whitespace_and_nfkc(project):
    # the document has "x = a + b" across spaces; full-width letters normalize too
    project.replace("specs/mod.toml", '"x = a + b"', '"ｘ=a  +b"')
    assert project.check() == []


def test_section_not_in_document_fails(project):
    project.replace("specs/mod.toml", 'section = "代码如下"', 'section = "代码如上"')
    only(project.check(), "torch.example", "section", "not found")


def test_unknown_source_document_fails(project):
    project.replace("specs/mod.toml", 'source = "doc.txt"\nsection = "代码如下"',
                    'source = "other.txt"\nsection = "代码如下"')
    only(project.check(), "torch.example", "'other.txt' is not a document")


def test_without_sources_quote_checks_are_skipped(project, monkeypatch, capsys):
    project.replace("specs/mod.toml", '"张量的加法返回新的张量"', '"不在文档里"')
    monkeypatch.setattr(traceability, "sources_dir", lambda: None)
    assert traceability.check(project.specs, project.tests) == []
    assert "quote checks skipped" in capsys.readouterr().err


# -- the sentence ledger ------------------------------------------------------------------


def test_split_sentences():
    assert [s.text for s in traceability.split_sentences(DOCUMENT)] == SENTENCES
    text = "一句话!二句话?三;“。”\n\n一句话"
    assert [s.text for s in traceability.split_sentences(text)] == ["一句话", "二句话", "三"]


def test_uncited_sentence_not_skipped_fails(project):
    project.replace("specs/ledger/doc.toml", 'text = "这段话讲历史"', 'text = "代码如下:"')
    project.replace("specs/ledger/doc.toml", 'reason = "history"', 'reason = "again"')
    only(project.check(), "sentence not cited, skipped or pending", "这段话讲历史")


def test_pending_sentence_passes(project):
    project.replace("specs/ledger/doc.toml", '[[skip]]\ntext = "这段话讲历史"\nreason = "history"',
                    '[[pending]]\ntext = "这段话讲历史"')
    assert project.check() == []


def test_skip_without_reason_fails(project):
    project.replace("specs/ledger/doc.toml", 'reason = "history"', 'reason = " "')
    only(project.check(), "这段话讲历史", "needs a reason")


def test_stale_ledger_entry_fails(project):
    project.append("specs/ledger/doc.toml", '\n[[pending]]\ntext = "文档里没有这句话"\n')
    only(project.check(), "stale [[pending]]", "文档里没有这句话")


def test_pending_sentence_that_is_now_cited_fails(project):
    project.append("specs/ledger/doc.toml", '\n[[pending]]\ntext = "张量的加法返回新的张量"\n')
    only(project.check(), "is now cited")


def test_missing_ledger_fails(project):
    (project.specs / "ledger" / "doc.toml").unlink()
    assert project.check() == [only(project.check(), "missing ledger for doc.txt")]


def test_fragment_spanning_sentences_cites_each(project):
    first, second = SENTENCES[1], SENTENCES[2]
    project.replace("specs/mod.toml", f'"{first}"', f'"{first}。{second}"')
    skip = f'[[skip]]\ntext = "{second}"\nreason = "history"\n'
    project.replace("specs/ledger/doc.toml", skip, "")
    assert project.check() == []


def test_write_pending_accounts_for_every_sentence(project):
    ledger = project.specs / "ledger" / "doc.toml"
    ledger.write_text('# my notes\n\n[[skip]]\ntext = "代码如下:"\nreason = "navigation"\n\n'
                      '[[pending]]\ntext = "gone"\n\n'
                      '[[pending]]\ntext = "张量的加法返回新的张量"\n', encoding="utf-8")
    assert project.check() != []
    added = traceability.write_pending(project.specs, project.sources)
    assert added == {"doc.txt": 2}
    assert project.check() == []
    data = tomllib.loads(ledger.read_text(encoding="utf-8"))
    assert data["skip"] == [{"text": "代码如下:", "reason": "navigation"}]
    assert [e["text"] for e in data["pending"]] == ["加法的说明", "这段话讲历史"]
    assert ledger.read_text(encoding="utf-8").startswith("# my notes\n")
    # a second run changes nothing
    before = ledger.read_text(encoding="utf-8")
    assert traceability.write_pending(project.specs, project.sources) == {"doc.txt": 0}
    assert ledger.read_text(encoding="utf-8") == before


def test_write_pending_creates_a_missing_ledger(project):
    (project.specs / "ledger" / "doc.toml").unlink()
    traceability.write_pending(project.specs, project.sources)
    assert project.check() == []


def test_ledger_summary(project):
    assert traceability.ledger_summary(project.specs, project.sources) == {
        "doc.txt": {"cited": 2, "skipped": 3, "pending": 0, "total": 5}}


@pytest.mark.parametrize("text", ['a "quoted" \\ path', "tab\there\nnewline", "\x00\x1f\x7f",
                                  "中文，全角"])
def test_toml_string_round_trips(text):
    assert tomllib.loads(f"v = {traceability.toml_string(text)}")["v"] == text


# -- the command line ---------------------------------------------------------------------


def test_cli_exit_status_and_summary(project, capsys):
    args = ["--specs", str(project.specs), "--tests", str(project.tests),
            "--sources", str(project.sources)]
    assert traceability.main(args) == 0
    out = capsys.readouterr().out
    assert "3 clauses (normative 1, example 1, derived 1)" in out
    assert "tested 3" in out and "doc: cited 2/skipped 3/pending 0 of 5" in out
    project.append("tests/test_mod.py", "\n\ndef test_orphan():\n    pass\n")
    assert traceability.main(args) == 1
    assert "test without a clause" in capsys.readouterr().out
