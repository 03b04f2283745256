"""Sessions: conformance (the report), tests (everything CI runs), specs, mutants, lint, docs,
bench. Uses nox's virtualenv/pip backend so pip finds the local torch wheel."""

import os
import pathlib

import nox

nox.options.sessions = ["conformance"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "virtualenv"

CPU_BACKENDS = ("torch", "refimpl", "refimpl-numba")
# The CUDA simulator costs ~130 us per launched thread: a smoke list on tiny shapes only.
CUDA_SMOKE = ("sigmoid_values or relu_values or tanh_values or add_broadcasts or mm_values "
              "or select_view or views_share or write_through_view or sum_dims "
              "or backward_fills or grad_fn_names or device_attribute "
              "or max_pool_values_indices or batchnorm_train_eval or layer_group_instance "
              "or nll_of_log_softmax")
ENV = {
    "NUMBA_CACHE_DIR": str(pathlib.Path.home() / ".cache" / "refimpl-numba"),
    "PIP_FIND_LINKS": os.environ.get("PIP_FIND_LINKS", "/opt/wheels"),
}


def _install(session, extras="conformance"):
    session.install("-e", f".[{extras}]")


def _conformance_run(session, backend, *extra, profile=None):
    env = dict(ENV)
    if profile:
        env["HYPOTHESIS_PROFILE"] = profile
    if backend == "refimpl-cuda":
        env["REFIMPL_CUDA_SIMULATOR"] = os.environ.get("REFIMPL_CUDA_SIMULATOR", "1")
        env.setdefault("HYPOTHESIS_PROFILE", "cuda-sim")
        extra = ("-k", CUDA_SMOKE, *extra) if env["REFIMPL_CUDA_SIMULATOR"] == "1" else extra
    session.run("python", "-m", "pytest", "conformance/tests", "-q", f"--backend={backend}",
                "-p", "no:cacheprovider", *extra, env=env)


def _all_backends(session, profile=None):
    for backend in CPU_BACKENDS:
        _conformance_run(session, backend,
                         profile=("ci-oracle" if backend == "torch" and profile == "ci"
                                  else profile))
    _conformance_run(session, "refimpl-cuda")


@nox.session
def conformance(session):
    """The conformance report: every CPU backend, then refimpl-cuda (simulator) in its own
    process; `nox -s conformance -- --backend X` runs one. Reports: reports/<backend>/."""
    _install(session, "conformance,cuda")
    args = list(session.posargs)
    if any(a.startswith("--backend") for a in args):
        backend = next(a.split("=", 1)[1] if "=" in a else args[args.index(a) + 1]
                       for a in args if a.startswith("--backend"))
        rest = [a for i, a in enumerate(args) if not a.startswith("--backend")
                and not (i > 0 and args[i - 1] == "--backend")]
        _conformance_run(session, backend, *rest)
    else:
        _all_backends(session)


@nox.session
def tests(session):
    """Everything CI runs: internal tests, the specs check, conformance on the built-in
    backends (hypothesis profile ci), and the mutants."""
    _install(session, "conformance,cuda,docs")
    session.run("python", "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", env=ENV)
    session.run("python", "-m", "conformance.traceability", env=ENV)
    _all_backends(session, profile="ci")
    session.run("python", "-m", "conformance.mutants", env={**ENV, "HYPOTHESIS_PROFILE": "ci"})


@nox.session
def specs(session):
    """Traceability: ids, quotes, tests per clause, ledgers (see specs/README.md)."""
    _install(session)
    session.run("python", "-m", "conformance.traceability", *session.posargs, env=ENV)


@nox.session
def mutants(session):
    """Every deliberately broken backend must fail its clauses."""
    _install(session)
    session.run("python", "-m", "conformance.mutants", env={**ENV, "HYPOTHESIS_PROFILE": "ci"})


@nox.session
def lint(session):
    session.install("ruff")
    session.run("ruff", "check", "refimpl", "conformance", "tests", "noxfile.py")


@nox.session
def docs(session):
    """One page per spec file (with each backend's status from reports/), built by mkdocs."""
    _install(session, "conformance,docs")
    session.run("python", "-m", "conformance.docs", env=ENV)
    session.run("mkdocs", "build", "--strict", env=ENV)


@nox.session
def bench(session):
    """Speed of refimpl (numpy and numba tables) as ratios against torch CPU, same run."""
    _install(session)
    session.run("python", "-m", "conformance.bench", *session.posargs, env=ENV)
