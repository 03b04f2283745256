"""torch.hub: load models from a repository's hubconf.py, and the local hub cache.

A hub repository is a directory holding a `hubconf.py`; its public callables are the
entrypoints (spec torch.hub.models, torch.hub.list). `load` imports that file and calls the
entrypoint with the given arguments (torch.hub.load); `help` returns its docstring
(torch.hub.help). GitHub repositories are read from their copy in the cache directory
`get_dir()/owner_repo_ref` (torch.hub.cache); refimpl never downloads a repository, so a
repository not yet in the cache raises RuntimeError. `download_url_to_file` copies any URL
that urllib opens, file:// included (torch.hub.download).
"""

import hashlib
import importlib.util
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
import urllib.request

MODULE_HUBCONF = "hubconf.py"
_hub_dir = None


def _get_torch_home():
    """$TORCH_HOME, else $XDG_CACHE_HOME/torch, else ~/.cache/torch."""
    cache = os.getenv("XDG_CACHE_HOME", os.path.join("~", ".cache"))
    return os.path.expanduser(os.getenv("TORCH_HOME", os.path.join(cache, "torch")))


def get_dir():
    """The hub cache directory: the one set_dir chose, else $TORCH_HOME/hub."""
    return _hub_dir if _hub_dir is not None else os.path.join(_get_torch_home(), "hub")


def set_dir(d):
    """Use d as the hub cache directory."""
    global _hub_dir
    _hub_dir = os.path.expanduser(d)


def _parse_repo_info(github):
    """'owner/repo[:ref]' -> (owner, repo, ref); refimpl needs the ref, which torch would
    otherwise look up on GitHub."""
    repo_info, _, ref = github.partition(":")
    owner, name = repo_info.split("/")
    if not ref:
        raise RuntimeError(f"refimpl.hub needs an explicit ref ('{github}:main'): finding the "
                           "default branch needs the network")
    return owner, name, ref


def _cached_repo(github, force_reload, trust_repo, verbose):
    owner, name, ref = _parse_repo_info(github)
    repo_dir = os.path.join(get_dir(), "_".join([owner, name, ref.replace("/", "_")]))
    if force_reload or not os.path.exists(repo_dir):
        raise RuntimeError(f"{github} is not in the hub cache ({repo_dir}) and refimpl does not "
                           "download repositories")
    if trust_repo is True:
        _add_to_trusted_list(f"{owner}_{name}")
    if verbose:
        sys.stderr.write(f"Using cache found in {repo_dir}\n")
    return repo_dir


def _add_to_trusted_list(owner_name):
    path = os.path.join(get_dir(), "trusted_list")
    os.makedirs(get_dir(), exist_ok=True)
    trusted = open(path).read().split() if os.path.exists(path) else []
    if owner_name not in trusted:
        with open(path, "a") as f:
            f.write(owner_name + "\n")


def _import_hubconf(repo_dir):
    """Import repo_dir/hubconf.py as a fresh module, with repo_dir on sys.path meanwhile."""
    sys.path.insert(0, repo_dir)
    try:
        spec = importlib.util.spec_from_file_location("hubconf",
                                                      os.path.join(repo_dir, MODULE_HUBCONF))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(repo_dir)


def _entry(module, model):
    if not isinstance(model, str):
        raise ValueError("Invalid input: model should be a string of function name")
    func = getattr(module, model, None)
    if func is None or not callable(func):
        raise RuntimeError(f"Cannot find callable {model} in hubconf")
    return func


def list(github, force_reload=False, skip_validation=False, trust_repo="check", verbose=True):
    """The names of the callables of the repo's hubconf.py not starting with '_', sorted."""
    module = _import_hubconf(_cached_repo(github, force_reload, trust_repo, verbose))
    return [f for f in dir(module) if callable(getattr(module, f)) and not f.startswith("_")]


def help(github, model, force_reload=False, skip_validation=False, trust_repo="check"):
    """The docstring of the entrypoint `model`."""
    module = _import_hubconf(_cached_repo(github, force_reload, trust_repo, True))
    return _entry(module, model).__doc__


def load(repo_or_dir, model, *args, source="github", trust_repo="check", force_reload=False,
         verbose=True, skip_validation=False, **kwargs):
    """entrypoint(*args, **kwargs) of repo_or_dir's hubconf.py (a local directory with
    source='local', a cached GitHub repo with source='github')."""
    source = source.lower()
    if source not in ("github", "local"):
        raise ValueError(f'Unknown source: "{source}". Allowed values: "github" | "local".')
    if source == "github":
        repo_or_dir = _cached_repo(repo_or_dir, force_reload, trust_repo, verbose)
    return _load_local(repo_or_dir, model, *args, **kwargs)


def _load_local(hubconf_dir, model, *args, **kwargs):
    return _entry(_import_hubconf(hubconf_dir), model)(*args, **kwargs)


def download_url_to_file(url, dst, hash_prefix=None, progress=True):
    """Copy the object at url to dst through a temporary file; RuntimeError (and no dst) when
    its SHA-256 does not start with hash_prefix."""
    dst = os.path.expanduser(dst)
    tmp = tempfile.NamedTemporaryFile(delete=False, dir=os.path.dirname(os.path.abspath(dst)))
    try:
        sha = hashlib.sha256()
        with urllib.request.urlopen(url) as response, tmp:
            while chunk := response.read(8192):
                tmp.write(chunk)
                sha.update(chunk)
        digest = sha.hexdigest()
        if hash_prefix is not None and not digest.startswith(hash_prefix):
            raise RuntimeError(f'invalid hash value (expected "{hash_prefix}", got "{digest}")')
        shutil.move(tmp.name, dst)
    finally:
        if os.path.exists(tmp.name):
            os.remove(tmp.name)


def load_state_dict_from_url(url, model_dir=None, map_location=None, progress=True,
                             check_hash=False, file_name=None, weights_only=False):
    """torch.load of the file at url, downloaded once to model_dir (get_dir()/checkpoints by
    default) under its own file name and read from there afterwards (spec torch.hub.cache)."""
    from .serialization import load as load_file

    model_dir = model_dir if model_dir is not None else os.path.join(get_dir(), "checkpoints")
    os.makedirs(model_dir, exist_ok=True)
    filename = file_name or os.path.basename(urllib.parse.urlparse(url).path)
    cached = os.path.join(model_dir, filename)
    if not os.path.exists(cached):
        sys.stderr.write(f'Downloading: "{url}" to {cached}\n')
        hash_prefix = None
        if check_hash:
            match = re.search(r"-([a-f0-9]*)\.", filename)
            hash_prefix = match.group(1) if match else None
        download_url_to_file(url, cached, hash_prefix, progress=progress)
    return load_file(cached, map_location=map_location, weights_only=weights_only)


__all__ = ["download_url_to_file", "get_dir", "help", "list", "load", "load_state_dict_from_url",
           "set_dir"]
