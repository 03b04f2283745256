"""torch.hub: entrypoints of a hubconf.py in a temporary directory (source='local', or a
GitHub repo already in the cache), and the cache directory. No test uses the network."""

import hashlib
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec

HUBCONF = '''
dependencies = []
VERSION = 3


def tiny(n=1, *, scale=2):
    """A tiny model: returns a list of n numbers."""
    return [i * scale for i in range(n)]


class Net:
    """A model class with a method."""

    def __init__(self, width=4):
        self.width = width

    def forward(self, x):
        return x * self.width


def _helper():
    return 0
'''


@pytest.fixture
def hubdir(tmp_path):
    """A repo directory with a hubconf.py, and a hub cache holding it as owner/repo:main."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "hubconf.py").write_text(HUBCONF)
    cache = tmp_path / "cache"
    (cache / "owner_repo_main").mkdir(parents=True)
    (cache / "owner_repo_main" / "hubconf.py").write_text(HUBCONF)
    return repo, cache


def _with_dir(T, cache, fn):
    old = T.hub.get_dir()
    T.hub.set_dir(str(cache))
    try:
        return fn()
    finally:
        T.hub.set_dir(old)


@spec("torch.hub.models")
def test_load_from_a_local_directory(check, hubdir):
    repo, _ = hubdir

    def fn(T, d):
        return T.hub.load(str(repo), "tiny", source="local"), \
            T.hub.load(str(repo), "tiny", 3, scale=5, source="local", trust_repo=True)
    check(fn)


@spec("torch.hub.list")
def test_list_returns_the_public_callables(check, hubdir):
    _, cache = hubdir

    def fn(T, d):
        return _with_dir(T, cache, lambda: T.hub.list("owner/repo:main", trust_repo=True,
                                                      skip_validation=True, verbose=False))
    check(fn)


@spec("torch.hub.load")
@given(case=st.sampled_from(["args", "missing", "not-callable", "private", "bad-source"]))
def test_load_passes_arguments_and_rejects_bad_names(check, hubdir, case):
    repo, _ = hubdir

    def fn(T, d):
        if case == "args":
            return T.hub.load(str(repo), "tiny", 5, source="local")
        if case == "missing":
            return T.hub.load(str(repo), "nothing", source="local")
        if case == "not-callable":
            return T.hub.load(str(repo), "VERSION", source="local")
        if case == "private":
            return T.hub.load(str(repo), "_helper", source="local")
        return T.hub.load(str(repo), "tiny", source="gitlab")
    check(fn)


@spec("torch.hub.help")
def test_help_returns_the_docstring_and_load_an_instance(check, hubdir):
    repo, cache = hubdir

    def fn(T, d):
        doc = _with_dir(T, cache, lambda: (
            T.hub.help("owner/repo:main", "tiny", trust_repo=True, skip_validation=True),
            T.hub.help("owner/repo:main", "Net", trust_repo=True, skip_validation=True)))
        net = T.hub.load(str(repo), "Net", 3, source="local")
        return doc, type(net).__name__, net.forward(2), hasattr(net, "forward")
    check(fn)


@spec("torch.hub.cache")
def test_get_dir_follows_torch_home_and_set_dir(check, hubdir, monkeypatch):
    _, cache = hubdir
    monkeypatch.setenv("TORCH_HOME", str(cache / "home"))

    def fn(T, d):
        default = T.hub.get_dir()
        chosen = _with_dir(T, cache, T.hub.get_dir)
        src = cache / f"{T.__name__}-weights.pt"
        T.save({"w": T.arange(3.)}, str(src))

        def fetch_twice():
            first = T.hub.load_state_dict_from_url(src.as_uri(), progress=False)
            src.unlink()                        # the second call reads the saved copy
            second = T.hub.load_state_dict_from_url(src.as_uri(), progress=False)
            saved = (cache / "checkpoints" / src.name).exists()
            return first, second, saved
        return os.path.relpath(default, cache), os.path.relpath(chosen, cache), \
            _with_dir(T, cache, fetch_twice)
    check(fn)


@spec("torch.hub.download")
@given(good=st.booleans())
def test_download_url_to_file_checks_the_hash(check, tmp_path_factory, good):
    src = tmp_path_factory.mktemp("src") / "weights.bin"
    src.write_bytes(b"weights" * 100)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    prefix = digest[:8] if good else "0" * 8 if not digest.startswith("0") else "f" * 8

    def fn(T, d):
        dst = src.parent / f"{T.__name__}.bin"
        try:
            T.hub.download_url_to_file(src.as_uri(), str(dst), hash_prefix=prefix,
                                       progress=False)
        except RuntimeError as e:
            return "invalid hash value" in str(e), dst.exists()
        return dst.read_bytes() == src.read_bytes()
    check(fn)
