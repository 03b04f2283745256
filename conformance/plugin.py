"""The pytest plugin: the `spec` marker, `--backend`, fixtures, and the per-clause report.

Before a test runs, the `apis` of every clause it cites are resolved on the backend's
namespace; if one does not resolve, the test is skipped and its clauses are `missing`
(never a crash of the run). Clauses the backend declares in `expected_failures` are run as
strict xfails. At the end the report is written to reports/<backend>/ (conformance.json,
conformance.md, junit.xml) and a per-module summary is printed.
"""

import os
import pathlib

import pytest

from . import report as _report
from .backends import get_backend
from .check import Checker
from .specs import load_specs

MISSING_PREFIX = "missing: "


def pytest_addoption(parser):
    group = parser.getgroup("conformance")
    group.addoption("--backend", default=None,
                    help="backend under test: torch, refimpl, refimpl-numba, refimpl-cuda, "
                         "module:attribute or an entry-point name (default: "
                         "$CONFORMANCE_BACKEND or torch)")
    group.addoption("--report-dir", default="reports",
                    help="where reports/<backend>/ is written (default: reports)")
    group.addoption("--no-report", action="store_true", help="write no report files")


def pytest_configure(config):
    config.addinivalue_line("markers", "spec(*ids): the spec clauses a conformance test checks")
    _register_hypothesis_profiles()
    state = _State(config)
    config._conformance = state
    _CONFIG[0] = config
    if state.active and not config.option.no_report and not getattr(config.option, "xmlpath",
                                                                    None):
        state.report_dir.mkdir(parents=True, exist_ok=True)
        config.option.xmlpath = str(state.report_dir / "junit.xml")


def _register_hypothesis_profiles():
    from hypothesis import HealthCheck, settings
    # `check` is function-scoped but stateless between examples: the health check that
    # warns about such fixtures does not apply.
    common = dict(deadline=None, suppress_health_check=[
        HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
    settings.register_profile("ci", max_examples=25, derandomize=True, database=None, **common)
    settings.register_profile("ci-oracle", max_examples=10, derandomize=True, database=None,
                              **common)
    settings.register_profile("dev", max_examples=100, **common)
    settings.register_profile("thorough", max_examples=1000, **common)
    settings.register_profile("cuda-sim", max_examples=3, derandomize=True, database=None,
                              **common)
    name = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
    settings.load_profile(name)


class _State:
    """What the plugin knows during a run: the backend, the clauses and the outcomes."""

    def __init__(self, config):
        self.config = config
        self.active = False
        self.backend = None
        self.clauses = {}
        self.results = {}        # nodeid -> {"outcome", "message", "repro", "clauses"}
        self.arbitrated = set()
        self.report_dir = None
        self.set_up = False      # backend.setup() ran (once, before the first test)
        name = config.getoption("backend") or os.environ.get("CONFORMANCE_BACKEND")
        if name or _collecting_conformance(config):
            self.backend = get_backend(name)
            self.clauses = load_specs()
            self.active = True
            root = pathlib.Path(config.getoption("report_dir"))
            self.report_dir = root / self.backend.name


def _collecting_conformance(config):
    return any("conformance" in str(a) for a in config.args)


def _state(config):
    return getattr(config, "_conformance", None)


def clause_ids(item):
    ids = []
    for mark in item.iter_markers("spec"):
        ids.extend(mark.args)
    return list(dict.fromkeys(ids))


def pytest_collection_modifyitems(session, config, items):
    state = _state(config)
    if not state or not state.active:
        return
    for item in items:
        reasons = [state.backend.expected_failures[c] for c in clause_ids(item)
                   if c in getattr(state.backend, "expected_failures", {})]
        if reasons:
            item.add_marker(pytest.mark.xfail(reason="; ".join(reasons), strict=True))


def _resolve(namespace, dotted):
    obj = namespace
    for part in dotted.split("."):
        try:
            obj = getattr(obj, part)
        except Exception:  # noqa: BLE001 - any failure to resolve means missing
            return False
    return True


def pytest_runtest_setup(item):
    state = _state(item.config)
    if not state or not state.active or not clause_ids(item):
        return
    if not state.set_up:
        state.backend.setup()
        state.set_up = True
    item.user_properties.append(("clauses", clause_ids(item)))
    capabilities = getattr(state.backend, "capabilities", frozenset())
    for cid in clause_ids(item):
        clause = state.clauses.get(cid)
        for api in clause.apis if clause else ():
            if not _resolve(state.backend.torch, api):
                pytest.skip(f"{MISSING_PREFIX}{api} (clause {cid})")
        # DESIGN "Randomness": same seed, same bits is only asked of a backend that claims it.
        if clause and clause.rng == "exact" and "rng-cpu-exact" not in capabilities:
            pytest.skip(f"clause {cid} compares random numbers bit for bit; the backend lacks "
                        "the capability rng-cpu-exact")


def pytest_runtest_logreport(report):
    """Collect outcomes (on the xdist controller too: clause ids and float64 arbitration
    travel in the report's user_properties)."""
    state = _state(getattr(report, "config", None) or _CONFIG[0])
    if not state or not state.active:
        return
    props = dict(report.user_properties)
    if "clauses" not in props:
        return
    entry = state.results.setdefault(report.nodeid, {"outcome": "passed", "message": "",
                                                     "repro": "", "clauses": props["clauses"]})
    if report.when == "call" or report.outcome != "passed":
        entry.update(_classify(report))
    if props.get("float64_arbitrated"):
        state.arbitrated.update(props["clauses"])


_CONFIG = [None]


def _classify(report):
    """passed / failed / error / xfailed / skipped / missing, with the message."""
    if hasattr(report, "wasxfail"):
        if report.skipped:
            return {"outcome": "xfailed", "message": report.wasxfail}
        return {"outcome": "failed", "message": "expected failure passed (strict): "
                + report.wasxfail}
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(
            report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        outcome = "missing" if reason.startswith(MISSING_PREFIX) else "skipped"
        return {"outcome": outcome, "message": reason}
    if report.failed:
        text = str(report.longrepr)
        is_assertion = report.when == "call" and _is_assertion_failure(report)
        repro = ""
        if "Reproduction:" in text:
            repro = text.split("Reproduction:", 1)[1].strip().split("\n\n")[0]
        return {"outcome": "failed" if is_assertion else "error",
                "message": _short(text), "repro": repro}
    return {"outcome": "passed"}


def _is_assertion_failure(report):
    crash = getattr(report.longrepr, "reprcrash", None)
    message = crash.message if crash else str(report.longrepr)
    return message.startswith(("AssertionError", "conformance.check.DifferentialFailure",
                               "DifferentialFailure", "Failed:", "assert ")) or \
        "DifferentialFailure" in message or "AssertionError" in message


def _short(text, limit=2000):
    lines = [ln for ln in text.splitlines() if ln.startswith("E ")]
    msg = "\n".join(ln[2:].strip() for ln in lines) or text
    return msg[:limit]


def pytest_sessionfinish(session, exitstatus):
    state = _state(session.config)
    if not state or not state.active:
        return
    if state.set_up:
        state.backend.teardown()
        state.set_up = False
    if session.config.option.no_report:
        return
    data = _report.build(state)
    _report.write(data, state.report_dir)
    state.summary = data


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    state = _state(config)
    if not state or not state.active or not getattr(state, "summary", None):
        return
    for line in _report.summary_lines(state.summary, state.report_dir):
        terminalreporter.write_line(line)


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def backend(request):
    state = _state(request.config)
    if not state or not state.active:
        pytest.skip("no conformance backend selected")
    return state.backend


@pytest.fixture(scope="session")
def oracle():
    return get_backend("torch")


@pytest.fixture
def check(request, backend, oracle):
    """check(fn, *inputs, **options): run fn(T, device, *inputs) on torch and on the backend
    and compare (see conformance.check)."""
    return Checker(backend, oracle,
                   record=lambda key, value: request.node.user_properties.append((key, value)))


@pytest.fixture(autouse=True)
def _isolated(request):
    """Each test runs isolated: default dtype and grad mode are restored on both sides."""
    state = _state(request.config)
    if not state or not state.active or not clause_ids(request.node):
        yield
        return
    sides = [state.backend.torch]
    import torch
    if torch not in sides:
        sides.append(torch)
    saved = [(T, T.get_default_dtype(), T.is_grad_enabled()) for T in sides]
    yield
    for T, dtype, grad in saved:
        T.set_default_dtype(dtype)
        T.set_grad_enabled(grad)
