"""The traceability check: every document sentence, spec clause and test accounted for.

It proves the chain *document sentence -> clause -> test* in both directions
(DESIGN.md, "Traceability check"; specs/README.md). It fails when:

1. a clause id repeats, a clause has an unknown kind or lacks a key its kind needs, or a
   derived clause hangs from a parent that does not exist;
2. a test function cites no clause, or cites an id that is not a clause;
3. a clause that must be tested (conformance.specs.TESTED_KINDS) has no test and is not on
   specs/untested.toml, or a clause on that allow-list now has a test (the list only shrinks);
4. a quote fragment or section is not found in the source document it names;
5. a document sentence is neither cited by a clause nor listed in the document's ledger
   (specs/ledger/<document stem>.toml) under ``[[skip]]`` (with a reason) or ``[[pending]]``.

Checks 4 and 5 need the source documents (conformance.specs.sources_dir()); without them they
are skipped with a warning.

Usage::

    python -m conformance.traceability                  # print problems; exit 1 if any
    python -m conformance.traceability --write-pending  # first list every unaccounted
                                                        # sentence as [[pending]] in its ledger
    python -m conformance.traceability --write-untested # first rewrite specs/untested.toml
                                                        # as exactly the untested clauses
"""

import argparse
import ast
import collections
import pathlib
import re
import sys
import tomllib
from dataclasses import dataclass

from .specs import KINDS, TESTED_KINDS, load_specs, load_untested, normalize, sources_dir
from .specs import specs_dir as default_specs_dir

PACKAGE_DIR = pathlib.Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent

# the keys each kind of clause must have, non-empty (specs/README.md, "Kinds")
REQUIRED_KEYS = {
    "normative": ("source", "section", "quote", "statement", "apis"),
    "example": ("source", "section", "quote", "statement", "code"),
    "errata": ("source", "section", "quote", "statement", "note"),
    "derived": ("parent", "reference", "statement", "apis"),
    "informative": ("source", "quote", "note"),
}
RNG_MODES = ("none", "distribution", "exact")


# -- 1. clauses ---------------------------------------------------------------------------


def check_clauses(clauses):
    """Problems with the clauses themselves: kind, required keys, parents, options."""
    problems = []
    for clause in clauses.values():
        where = f"specs/{clause.file}: clause {clause.id!r}"
        if clause.kind not in KINDS:
            problems.append(f"{where}: unknown kind {clause.kind!r} (one of {', '.join(KINDS)})")
            continue
        missing = [key for key in REQUIRED_KEYS[clause.kind] if not getattr(clause, key)]
        if missing:
            problems.append(f"{where}: kind {clause.kind} needs {', '.join(missing)}")
        if clause.kind == "derived":
            problems += _check_derived(clause, clauses, where)
        if clause.rng not in RNG_MODES:
            problems.append(f"{where}: rng must be one of {', '.join(RNG_MODES)}")
        if clause.tolerance and not clause.tolerance.get("reason"):
            problems.append(f"{where}: a tolerance needs its reason")
    return problems


def _check_derived(clause, clauses, where):
    problems = []
    if clause.parent and clause.parent not in clauses:
        problems.append(f"{where}: parent {clause.parent!r} is not a clause")
    if clause.quote:
        problems.append(f"{where}: a derived clause has no quote (cite the parent instead)")
    return problems


# -- 2. tests -----------------------------------------------------------------------------

# pytest's default collection pattern (python_files = test_*.py *_test.py)
TEST_FILE_PATTERNS = ("test_*.py", "*_test.py")


@dataclass(frozen=True)
class TestFunction:
    """A test found in the test sources, with the clause ids it cites."""

    __test__ = False  # not a pytest test class, despite its name

    path: pathlib.Path   # the file
    name: str            # "test_x" or "TestGroup::test_x"
    line: int
    ids: tuple

    @property
    def relpath(self):
        """The file relative to the repository root (or as given when outside it)."""
        try:
            return self.path.resolve().relative_to(REPO_ROOT).as_posix()
        except ValueError:
            return self.path.as_posix()

    @property
    def nodeid(self):
        """pytest's node id of the test (without parameters)."""
        return f"{self.relpath}::{self.name}"


def default_tests_dir():
    return PACKAGE_DIR / "tests"


def scan_tests(tests_root=None):
    """Every test function under tests_root and the spec ids it cites, found with `ast`.

    A test is a ``def test_*`` at module level or in a class named ``Test*``. Its ids come
    from decorators ``@spec(...)``, ``@mark.spec(...)`` or ``@pytest.mark.spec(...)`` on the
    function or its class, and from a module-level ``pytestmark = <such a mark>`` (or a list
    of marks). Returns (tests, problems): problems are files that do not parse and marks
    whose arguments are not string literals.
    """
    root = pathlib.Path(tests_root) if tests_root else default_tests_dir()
    files = sorted({p for pattern in TEST_FILE_PATTERNS for p in root.rglob(pattern)})
    tests, problems = [], []
    for path in files:
        found, found_problems = _scan_file(path)
        tests += found
        problems += found_problems
    return tests, problems


def _scan_file(path):
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        return [], [f"{path}: cannot parse ({exc.msg}, line {exc.lineno})"]
    problems = []
    module_ids = _pytestmark_ids(tree.body, path, problems)
    tests = []
    for node in tree.body:
        if _is_test_function(node):
            ids = module_ids + _decorator_ids(node, path, problems)
            tests.append(TestFunction(path, node.name, node.lineno, ids))
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            class_ids = module_ids + _decorator_ids(node, path, problems)
            class_ids += _pytestmark_ids(node.body, path, problems)
            for item in node.body:
                if _is_test_function(item):
                    ids = class_ids + _decorator_ids(item, path, problems)
                    tests.append(TestFunction(path, f"{node.name}::{item.name}", item.lineno,
                                              ids))
    return tests, problems


def _is_test_function(node):
    return (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name.startswith("test"))


def _decorator_ids(node, path, problems):
    ids = ()
    for decorator in node.decorator_list:
        ids += _spec_mark_ids(decorator, path, problems)
    return ids


def _pytestmark_ids(body, path, problems):
    """Ids of a ``pytestmark = ...`` assignment among the statements of body."""
    ids = ()
    for node in body:
        if (isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)):
            marks = node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) \
                else [node.value]
            for mark in marks:
                ids += _spec_mark_ids(mark, path, problems)
    return ids


def _spec_mark_ids(node, path, problems):
    """The ids of a ``spec(...)`` / ``mark.spec(...)`` / ``pytest.mark.spec(...)`` call."""
    if not (isinstance(node, ast.Call) and _is_spec_name(node.func)):
        return ()
    ids = []
    for arg in node.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            ids.append(arg.value)
        else:
            problems.append(f"{path}:{node.lineno}: spec() takes clause ids as string literals")
    return tuple(ids)


def _is_spec_name(func):
    if isinstance(func, ast.Name):
        return func.id == "spec"
    if not (isinstance(func, ast.Attribute) and func.attr == "spec"):
        return False
    owner = func.value  # `mark` or `pytest.mark`
    if isinstance(owner, ast.Name):
        return owner.id == "mark"
    return (isinstance(owner, ast.Attribute) and owner.attr == "mark"
            and isinstance(owner.value, ast.Name) and owner.value.id == "pytest")


def check_tests(tests, clauses):
    """A test must cite at least one clause, and only clauses that exist."""
    problems = []
    for test in tests:
        where = f"{test.relpath}:{test.line} {test.name}"
        if not test.ids:
            problems.append(f"{where}: test without a clause (add @pytest.mark.spec(...))")
        for cid in test.ids:
            if cid not in clauses:
                problems.append(f"{where}: cites unknown clause {cid!r}")
    return problems


def cited_by(tests):
    """Clause id -> the tests citing it."""
    index = collections.defaultdict(list)
    for test in tests:
        for cid in dict.fromkeys(test.ids):
            index[cid].append(test)
    return dict(index)


# -- 3. coverage --------------------------------------------------------------------------


def check_coverage(clauses, citations, untested):
    """Tested kinds need a test or an untested.toml entry; the allow-list only shrinks."""
    problems = []
    for clause in clauses.values():
        if clause.kind in TESTED_KINDS and clause.id not in citations \
                and clause.id not in untested:
            problems.append(f"specs/{clause.file}: clause {clause.id!r} ({clause.kind}) has no "
                            "test and is not on specs/untested.toml")
    for cid in sorted(untested):
        if cid not in clauses:
            problems.append(f"specs/untested.toml: {cid!r} is not a clause")
        elif cid in citations:
            problems.append(f"specs/untested.toml: {cid!r} now has a test: remove it from "
                            "untested.toml")
    return problems


# -- 4. quotes ----------------------------------------------------------------------------


def load_documents(sources):
    """Document file name -> its raw text, for every *.txt in the sources directory."""
    return {p.name: p.read_text(encoding="utf-8")
            for p in sorted(pathlib.Path(sources).glob("*.txt"))}


def check_quotes(clauses, documents):
    """Each quote fragment and section is found in the named document (after normalize)."""
    normalized = {name: normalize(text) for name, text in documents.items()}
    problems = []
    for clause in clauses.values():
        if not clause.source:
            continue
        where = f"specs/{clause.file}: clause {clause.id!r}"
        doc = normalized.get(clause.source)
        if doc is None:
            problems.append(f"{where}: source {clause.source!r} is not a document")
            continue
        for fragment in clause.quote:
            if not normalize(fragment):
                problems.append(f"{where}: empty quote fragment")
            elif normalize(fragment) not in doc:
                problems.append(f"{where}: quote {_short(fragment)!r} not found in "
                                f"{clause.source}")
        if clause.section and normalize(clause.section) not in doc:
            problems.append(f"{where}: section {_short(clause.section)!r} not found in "
                            f"{clause.source}")
    return problems


def _short(text, limit=80):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# -- 5. the sentence ledger ---------------------------------------------------------------

SENTENCE_BREAK = re.compile(r"[。！？!?；;\r\n]")


@dataclass(frozen=True)
class Sentence:
    text: str   # normalized: what is compared
    raw: str    # as written (stripped): what a ledger entry shows


def split_sentences(text):
    """The sentences of a document, in order, each once.

    The rule, kept simple so that everyone gets the same sentences:
    1. split the raw text at every sentence terminator 。！？!? , at ；; and at line breaks
       (the terminators are dropped);
    2. normalize each piece with conformance.specs.normalize (NFKC, no whitespace);
    3. drop pieces that are empty or have no letter, CJK character or digit (punctuation);
    4. keep the first occurrence of a repeated sentence (a ledger entry covers all of them).
    """
    sentences = {}
    for piece in SENTENCE_BREAK.split(text):
        key = normalize(piece)
        if any(ch.isalnum() for ch in key) and key not in sentences:
            sentences[key] = Sentence(key, piece.strip())
    return list(sentences.values())


def quote_fragments(clauses, document):
    """The normalized quote fragments of the clauses whose source is the document."""
    return [normalize(f) for c in clauses.values() if c.source == document
            for f in c.quote if normalize(f)]


def is_cited(sentence, fragments):
    """A sentence is cited when a fragment lies inside it, or it lies inside a fragment
    (a fragment may span several sentences)."""
    return any(f in sentence.text or sentence.text in f for f in fragments)


def ledger_path(specs_root, document):
    return pathlib.Path(specs_root) / "ledger" / (pathlib.Path(document).stem + ".toml")


@dataclass
class Account:
    """How one document's sentences are accounted for."""

    document: str
    ledger: pathlib.Path
    sentences: list        # [Sentence]
    cited: set             # normalized texts cited by a clause
    skip: list             # the ledger's [[skip]] tables, as read
    pending: list          # the ledger's [[pending]] tables, as read
    exists: bool           # whether the ledger file exists

    def listed(self, section):
        return {normalize(entry.get("text", "")) for entry in getattr(self, section)}

    def status(self, sentence):
        """cited, skipped, pending or None (unaccounted)."""
        if sentence.text in self.cited:
            return "cited"
        if sentence.text in self.listed("skip"):
            return "skipped"
        if sentence.text in self.listed("pending"):
            return "pending"
        return None

    def counts(self):
        statuses = collections.Counter(self.status(s) for s in self.sentences)
        return {"cited": statuses["cited"], "skipped": statuses["skipped"],
                "pending": statuses["pending"], "total": len(self.sentences)}


def read_ledger(path):
    """(skip, pending) tables of a ledger file; ([], []) when it does not exist."""
    if not path.exists():
        return [], []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return list(data.get("skip", [])), list(data.get("pending", []))


def account(document, text, clauses, specs_root):
    """The Account of one document (raises tomllib.TOMLDecodeError on a broken ledger)."""
    path = ledger_path(specs_root, document)
    sentences = split_sentences(text)
    fragments = quote_fragments(clauses, document)
    cited = {s.text for s in sentences if is_cited(s, fragments)}
    skip, pending = read_ledger(path)
    return Account(document, path, sentences, cited, skip, pending, path.exists())


def check_ledger(acc):
    """Problems of one document's ledger."""
    where = f"specs/ledger/{acc.ledger.name}"
    if not acc.exists:
        return [f"{where}: missing ledger for {acc.document} (python -m "
                "conformance.traceability --write-pending creates it)"]
    problems = []
    known = {s.text for s in acc.sentences}
    for section in ("skip", "pending"):
        for entry in getattr(acc, section):
            text = normalize(entry.get("text", ""))
            if text not in known:
                problems.append(f"{where}: stale [[{section}]] {_short(entry.get('text', ''))!r}"
                                f" matches no sentence of {acc.document}")
            elif section == "pending" and text in acc.cited:
                problems.append(f"{where}: [[pending]] {_short(entry['text'])!r} is now cited:"
                                " remove it (--write-pending does)")
            if section == "skip" and not str(entry.get("reason", "")).strip():
                problems.append(f"{where}: [[skip]] {_short(entry.get('text', ''))!r} needs "
                                "a reason")
    for sentence in acc.sentences:
        if acc.status(sentence) is None:
            problems.append(f"{where}: sentence not cited, skipped or pending: "
                            f"{_short(sentence.raw)!r}")
    return problems


def accounts(clauses, specs_root, documents):
    """(Accounts of all documents, problems of ledgers that do not parse)."""
    result, problems = [], []
    for name, text in documents.items():
        try:
            result.append(account(name, text, clauses, specs_root))
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"specs/ledger/{ledger_path(specs_root, name).name}: {exc}")
    return result, problems


def check_ledgers(clauses, specs_root, documents):
    accs, problems = accounts(clauses, specs_root, documents)
    for acc in accs:
        problems += check_ledger(acc)
    return problems


# -- writing ledgers ----------------------------------------------------------------------

LEDGER_HEADER = (
    "# Sentence ledger of {document}: every sentence is cited by a clause (specs/*.toml),\n"
    "# skipped with the reason it states nothing checkable, or pending (its clause is not\n"
    "# written yet; shrink-only). `python -m conformance.traceability --write-pending` adds\n"
    "# the unaccounted sentences as [[pending]].\n"
)


def write_pending(specs_root=None, sources=None):
    """Rewrite every ledger so each uncited, unskipped sentence is listed as [[pending]].

    Keeps the [[skip]] tables in their order, keeps pending entries that are still uncited
    (with their notes), drops stale and now-cited pending entries, and appends the new ones
    in document order. Returns {document: number of pending entries added}.
    """
    specs_root = pathlib.Path(specs_root) if specs_root else default_specs_dir()
    sources = sources if sources is not None else sources_dir()
    if sources is None:
        raise FileNotFoundError("source documents not found (set SPEC_SOURCES)")
    clauses = load_specs(specs_root)
    accs, problems = accounts(clauses, specs_root, load_documents(sources))
    if problems:
        raise ValueError("; ".join(problems))
    return {acc.document: _write_account(acc) for acc in accs}


def _write_account(acc):
    skipped = acc.listed("skip")
    uncited = {s.text for s in acc.sentences if s.text not in acc.cited and s.text not in skipped}
    pending = [e for e in acc.pending if normalize(e.get("text", "")) in uncited]
    have = {normalize(e["text"]) for e in pending}
    added = [{"text": s.raw} for s in acc.sentences if s.text in uncited and s.text not in have]
    acc.ledger.parent.mkdir(parents=True, exist_ok=True)
    header = _header(acc.ledger) or LEDGER_HEADER.format(document=acc.document)
    body = [_table("skip", e) for e in acc.skip] + [_table("pending", e)
                                                    for e in pending + added]
    acc.ledger.write_text(header + "".join(body), encoding="utf-8")
    return len(added)


def _header(path):
    """The leading comment lines of an existing ledger file (kept on rewrite)."""
    if not path.exists():
        return ""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


def _table(name, entry):
    lines = [f"\n[[{name}]]\n"]
    lines += [f"{key} = {toml_value(value)}\n" for key, value in entry.items()]
    return "".join(lines)


def toml_value(value):
    """A TOML literal for a string, bool, number or list of those."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return toml_string(str(value))


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def toml_string(text):
    """A TOML basic string: backslash, double quote and control characters escaped."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def write_untested(specs_root=None, tests_root=None):
    """Rewrite specs/untested.toml as the clauses of tested kinds that no test cites.

    For maintainers after adding tests or clauses; the check itself never rewrites the list,
    so a review sees every id that leaves it (and every new clause that joins it untested).
    Returns (removed, added) counts."""
    specs_root = pathlib.Path(specs_root) if specs_root else default_specs_dir()
    clauses = load_specs(specs_root)
    old = load_untested(specs_root)
    tests, _ = scan_tests(tests_root)
    citations = cited_by(tests)
    ids = [c.id for c in clauses.values() if c.kind in TESTED_KINDS and c.id not in citations]
    path = specs_root / "untested.toml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    body = "ids = [\n" + "".join(f"    {toml_string(cid)},\n" for cid in ids) + "]\n"
    path.write_text(header + body, encoding="utf-8")
    return len(old - set(ids)), len(set(ids) - old)


# -- the whole check ----------------------------------------------------------------------


def check(specs_root=None, tests_root=None, sources=None):
    """All traceability problems, as human-readable lines (an empty list: the check passes)."""
    try:
        specs_root = pathlib.Path(specs_root) if specs_root else default_specs_dir()
        clauses = load_specs(specs_root)
        untested = load_untested(specs_root)
    except (FileNotFoundError, ValueError, TypeError, KeyError) as exc:
        return [f"specs: cannot load the spec files: {exc}"]
    tests, problems = scan_tests(tests_root)
    problems = check_clauses(clauses) + problems + check_tests(tests, clauses)
    problems += check_coverage(clauses, cited_by(tests), untested)
    sources = sources if sources is not None else sources_dir()
    if sources is None:
        print("warning: source documents not found; quote checks skipped", file=sys.stderr)
        return problems
    if not pathlib.Path(sources).is_dir():
        return problems + [f"sources: {sources} is not a directory"]
    documents = load_documents(sources)
    problems += check_quotes(clauses, documents)
    problems += check_ledgers(clauses, specs_root, documents)
    return problems


def ledger_summary(specs_root=None, sources=None):
    """{document: {cited, skipped, pending, total}} (JSON-able); {} without the sources."""
    specs_root = pathlib.Path(specs_root) if specs_root else default_specs_dir()
    sources = sources if sources is not None else sources_dir()
    if sources is None:
        return {}
    accs, _ = accounts(load_specs(specs_root), specs_root, load_documents(sources))
    return {acc.document: acc.counts() for acc in accs}


def summary(specs_root=None, tests_root=None, sources=None):
    """One line: clauses per kind, tested, untested, and each document's ledger counts."""
    specs_root = pathlib.Path(specs_root) if specs_root else default_specs_dir()
    clauses = load_specs(specs_root)
    kinds = collections.Counter(c.kind for c in clauses.values())
    citations = cited_by(scan_tests(tests_root)[0])
    tested = sum(1 for c in clauses.values() if c.kind in TESTED_KINDS and c.id in citations)
    parts = [f"{len(clauses)} clauses (" + ", ".join(f"{k} {kinds[k]}" for k in KINDS
                                                      if kinds[k]) + ")",
             f"tested {tested}", f"untested {len(load_untested(specs_root))}"]
    for document, n in ledger_summary(specs_root, sources).items():
        parts.append(f"{pathlib.Path(document).stem}: cited {n['cited']}/skipped "
                     f"{n['skipped']}/pending {n['pending']} of {n['total']}")
    return "; ".join(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m conformance.traceability",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--write-pending", action="store_true",
                        help="list every unaccounted sentence as [[pending]] in its ledger")
    parser.add_argument("--write-untested", action="store_true",
                        help="rewrite specs/untested.toml as exactly the untested clauses")
    parser.add_argument("--specs", help="the spec directory (default: specs/)")
    parser.add_argument("--tests", help="the test directory (default: conformance/tests/)")
    parser.add_argument("--sources", help="the source documents (default: $SPEC_SOURCES or "
                                          "../shared/seeds)")
    args = parser.parse_args(argv)
    if args.write_untested:
        removed, added = write_untested(args.specs, args.tests)
        print(f"specs/untested.toml: {removed} id(s) removed, {added} added")
    if args.write_pending:
        try:
            written = write_pending(args.specs, args.sources)
        except (FileNotFoundError, ValueError) as exc:
            print(f"cannot write the ledgers: {exc}")
            return 1
        for document, added in written.items():
            print(f"{document}: {added} sentence(s) added as pending")
    problems = check(args.specs, args.tests, args.sources)
    for problem in problems:
        print(problem)
    if problems:
        print(f"traceability: {len(problems)} problem(s)")
        return 1
    print("traceability ok: " + summary(args.specs, args.tests, args.sources))
    return 0


if __name__ == "__main__":
    sys.exit(main())
