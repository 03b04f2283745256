"""The conformance report: per-clause status, written as JSON (versioned, with a JSON Schema
in conformance/schema/), Markdown, and a per-module summary for the terminal.

A clause's status comes from the tests citing it, by precedence: error (the test or the
oracle broke) > failed > missing > xfailed > skipped (capability absent) > passed. A clause
cited by tests none of which ran is `not_run`; a clause no test cites is `untested`.
"""

import json
import pathlib
import platform

from . import traceability

SCHEMA_VERSION = 1
SCHEMA_PATH = pathlib.Path(__file__).parent / "schema" / "report.schema.json"
PRECEDENCE = ("error", "failed", "missing", "xfailed", "skipped", "passed")
STATUSES = PRECEDENCE + ("not_run", "untested")


def _environment(state):
    import numpy
    env = {"python": platform.python_version(), "numpy": numpy.__version__,
           "device": state.backend.device,
           "hypothesis_profile": _hypothesis_profile()}
    try:
        import torch
        env["torch"] = torch.__version__
        env["cpu_capability"] = torch.backends.cpu.get_cpu_capability()
    except ImportError:  # pragma: no cover - the oracle is always installed with the suite
        env["torch"] = None
    try:
        import numba
        env["numba"] = numba.__version__
    except ImportError:  # pragma: no cover
        env["numba"] = None
    kernels = getattr(state.backend, "kernels", None)
    if kernels:
        env["kernels"] = kernels
    return env


def _hypothesis_profile():
    from hypothesis import settings
    return settings._current_profile


def build(state):
    """The report dict of a finished run (the JSON contract of DESIGN.md)."""
    tests, _ = traceability.scan_tests()
    cited = traceability.cited_by(tests)
    by_clause = {}
    for nodeid, entry in state.results.items():
        for cid in entry.get("clauses", ()):
            by_clause.setdefault(cid, []).append((nodeid, entry))
    clauses, modules = {}, {}
    summary = dict.fromkeys(STATUSES, 0)
    for cid, clause in state.clauses.items():
        runs = by_clause.get(cid, [])
        if runs:
            status = min((e["outcome"] for _, e in runs), key=PRECEDENCE.index)
        elif cid in cited:
            status = "not_run"
        else:
            status = "untested"
        record = {"module": clause.module, "kind": clause.kind, "status": status,
                  "statement": clause.statement, "quote": list(clause.quote),
                  "source": clause.source,
                  "tests": sorted({n for n, _ in runs} or
                                  {t.nodeid for t in cited.get(cid, [])}),
                  "failures": [{"test": n, "message": e.get("message", ""),
                                "repro": e.get("repro", "")}
                               for n, e in runs if e["outcome"] in ("failed", "error")]}
        if cid in state.arbitrated:
            record["float64_arbitrated"] = True
        clauses[cid] = record
        summary[status] += 1
        counts = modules.setdefault(clause.module, dict.fromkeys(STATUSES, 0))
        counts[status] += 1
    summary = {"clauses": len(clauses), **summary,
               "float64_arbitrated": len(state.arbitrated & set(clauses))}
    return {"schema_version": SCHEMA_VERSION, "backend": state.backend.name,
            "environment": _environment(state), "summary": summary, "modules": modules,
            "clauses": clauses}


def write(data, directory):
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "conformance.json").write_text(json.dumps(data, indent=1, ensure_ascii=False),
                                                encoding="utf-8")
    (directory / "conformance.md").write_text(markdown(data), encoding="utf-8")


def markdown(data):
    """The report as Markdown: the summary, then a clause table per module."""
    s = data["summary"]
    lines = [f"# Conformance report: {data['backend']}", "",
             "| clauses | " + " | ".join(STATUSES) + " | float64-arbitrated |",
             "|---" * (len(STATUSES) + 2) + "|",
             f"| {s['clauses']} | " + " | ".join(str(s[k]) for k in STATUSES) +
             f" | {s['float64_arbitrated']} |", ""]
    env = data["environment"]
    lines.append("Environment: " + ", ".join(f"{k} {v}" for k, v in env.items()))
    for module in sorted(data["modules"]):
        lines += ["", f"## {module}", "", "| clause | kind | status | quote |", "|---|---|---|---|"]
        for cid, c in data["clauses"].items():
            if c["module"] == module:
                quote = " … ".join(c["quote"]).replace("|", "\\|")
                lines.append(f"| `{cid}` | {c['kind']} | {c['status']} | {quote} |")
        failures = [(cid, f) for cid, c in data["clauses"].items() if c["module"] == module
                    for f in c["failures"]]
        for cid, f in failures:
            lines += ["", f"**{cid}** failed in `{f['test']}`:", "", "```",
                      f["message"], "```"]
    return "\n".join(lines) + "\n"


def summary_lines(data, directory):
    """The per-module table printed at the end of a run."""
    cols = ("passed", "failed", "error", "missing", "xfailed", "skipped", "not_run", "untested")
    width = max([len(m) for m in data["modules"]] + [6])
    head = f"{'module':<{width}} " + " ".join(f"{c:>8}" for c in cols)
    lines = ["", f"conformance of backend '{data['backend']}' per module", head,
             "-" * len(head)]
    for module in sorted(data["modules"]):
        counts = data["modules"][module]
        lines.append(f"{module:<{width}} " + " ".join(f"{counts[c]:>8}" for c in cols))
    s = data["summary"]
    lines.append(f"{'total':<{width}} " + " ".join(f"{s[c]:>8}" for c in cols))
    lines.append(f"report: {pathlib.Path(directory) / 'conformance.json'} "
                 f"(and conformance.md, junit.xml)")
    return lines
