"""Spec files: loading clauses, and the text rules quotes are matched by (specs/README.md)."""

import os
import pathlib
import tomllib
import unicodedata
from dataclasses import dataclass, field

KINDS = ("normative", "example", "errata", "derived", "informative")
TESTED_KINDS = ("normative", "example", "errata", "derived")


@dataclass(frozen=True)
class Clause:
    id: str
    module: str
    kind: str
    file: str
    statement: str = ""
    source: str = ""
    section: str = ""
    quote: tuple = ()
    apis: tuple = ()
    note: str = ""
    parent: str = ""
    reference: str = ""
    code: str = ""
    tolerance: dict = field(default_factory=dict, compare=False, hash=False)
    rng: str = "none"


def specs_dir():
    """specs/ of a source checkout, or the copy installed inside the package."""
    here = pathlib.Path(__file__).resolve().parent
    for candidate in (here.parent / "specs", here / "_specs"):
        if candidate.is_dir() and any(candidate.glob("*.toml")):
            return candidate
    raise FileNotFoundError("no specs directory found (expected specs/ or conformance/_specs)")


def sources_dir():
    """The source documents: $SPEC_SOURCES, else ../shared/seeds beside the checkout."""
    env = os.environ.get("SPEC_SOURCES")
    if env:
        return pathlib.Path(env)
    default = pathlib.Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    return default if default.is_dir() else None


def normalize(text):
    """NFKC with all whitespace removed: how quotes are matched against documents."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def load_specs(root=None):
    """All clauses by id, in file order. Raises ValueError on a repeated id."""
    root = pathlib.Path(root) if root else specs_dir()
    clauses = {}
    for path in sorted(root.glob("*.toml")):
        if path.name == "untested.toml":
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        module = data.get("module", path.stem)
        for raw in data.get("clause", []):
            raw = dict(raw)
            cid = raw.pop("id")
            if cid in clauses:
                raise ValueError(f"clause id {cid!r} repeats ({path.name} and "
                                 f"{clauses[cid].file})")
            quote = raw.pop("quote", ())
            quote = (quote,) if isinstance(quote, str) else tuple(quote)
            clauses[cid] = Clause(id=cid, module=raw.pop("module", module), file=path.name,
                                  quote=quote, apis=tuple(raw.pop("apis", ())), **raw)
    return clauses


def load_untested(root=None):
    root = pathlib.Path(root) if root else specs_dir()
    path = root / "untested.toml"
    if not path.exists():
        return set()
    return set(tomllib.loads(path.read_text(encoding="utf-8")).get("ids", []))
