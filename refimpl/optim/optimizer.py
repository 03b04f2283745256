"""torch.optim.Optimizer: param groups, per-parameter state, zero_grad, step hooks, state_dict.

Spec optim.namespace: an optimizer holds `param_groups` (a list of dicts: 'params' plus the
hyperparameters of that group, missing keys filled from `defaults`) and `state` (a dict keyed
by parameter). Subclasses implement `step`, updating each parameter in place from its `.grad`
(spec optim.step-follows-gradient).

The update rules work on the NumPy arrays of the tensors (`_array`) and bump the version
counter of every tensor they write, as torch's in-place ops do.
"""

import itertools
from collections import OrderedDict, defaultdict
from copy import deepcopy

import numpy as np

from .. import _dtype, _layout
from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad, is_grad_enabled, set_grad_enabled


class _RequiredParameter:
    """The default of an option a param group must give itself (SGD's lr in old torch)."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


class RemovableHandle:
    """What register_*_hook returns: `remove()` unregisters the hook."""

    _next_id = itertools.count()

    def __init__(self, hooks):
        self.hooks = hooks
        self.id = next(RemovableHandle._next_id)

    def remove(self):
        self.hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _add_hook(hooks, hook):
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    return handle


_global_pre_hooks = OrderedDict()
_global_post_hooks = OrderedDict()


def register_optimizer_step_pre_hook(hook):
    """hook(optimizer, args, kwargs) runs before every optimizer's step."""
    return _add_hook(_global_pre_hooks, hook)


def register_optimizer_step_post_hook(hook):
    """hook(optimizer, args, kwargs) runs after every optimizer's step."""
    return _add_hook(_global_post_hooks, hook)


def _with_step_hooks(step):
    """Wrap a subclass's step: pre hooks (which may replace the arguments), the step under
    no_grad (grad mode on only with differentiable=True), then post hooks."""

    def hooked(self, *args, **kwargs):
        for pre in itertools.chain(_global_pre_hooks.values(),
                                   self._optimizer_step_pre_hooks.values()):
            result = pre(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(f"{step} must return None or a tuple of "
                                       f"(new_args, new_kwargs), but got {result}.")
                args, kwargs = result
        previous = is_grad_enabled()
        try:
            set_grad_enabled(bool(self.defaults.get("differentiable", False)))
            out = step(self, *args, **kwargs)
        finally:
            set_grad_enabled(previous)
        for post in itertools.chain(self._optimizer_step_post_hooks.values(),
                                    _global_post_hooks.values()):
            post(self, args, kwargs)
        return out

    hooked.__name__, hooked.__doc__ = step.__name__, step.__doc__
    hooked.__qualname__ = step.__qualname__
    return hooked


class Optimizer:
    """Base class of all optimizers (spec optim.namespace; optimizers are not nn.Modules:
    spec optim.Optimizer.not-a-module)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:
            cls.step = _with_step_hooks(cls.__dict__["step"])

    def __init__(self, params, defaults):
        """Spec optim.Optimizer.params-argument: an iterable of tensors or of group dicts."""
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got " + _typename(params))
        self.state = defaultdict(dict)
        self.param_groups = []
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def __repr__(self):
        lines = [self.__class__.__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {key}: {group[key]}" for key in sorted(group) if key != "params"]
        return "\n".join(lines) + "\n)"

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state,
                "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for group in self.param_groups:
            for key, value in self.defaults.items():
                group.setdefault(key, value)

    # -- param groups ---------------------------------------------------------------------------

    def add_param_group(self, param_group):
        """Spec optim.Optimizer.add-param-group: append a group; options it does not give come
        from the defaults; a parameter may belong to one group only."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        param_group["params"] = params
        if names:
            if len(names) != len(params):
                raise ValueError("all optimizer params should be with/without names. Some "
                                 "param names are missing")
            param_group["param_names"] = names
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + _typename(p))
            if not self.defaults.get("differentiable", None) and not (p.is_leaf
                                                                      or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)
        if len({id(p) for p in params}) != len(params):
            import warnings
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in "
                          "future, this will cause an error; see "
                          "github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        seen = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if seen & {id(p) for p in params}:
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # -- gradients ------------------------------------------------------------------------------

    def zero_grad(self, set_to_none=True):
        """Spec optim.Optimizer.zero-grad: every parameter's .grad becomes None, or with
        set_to_none=False is detached and filled with zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                    continue
                if p.grad.grad_fn is not None:
                    p.grad.detach_()
                else:
                    p.grad.requires_grad_(False)
                assign(p.grad, 0)

    def step(self, closure=None):
        raise NotImplementedError

    def _closure_loss(self, closure):
        """Spec optim.Optimizer.closure: the closure re-evaluates the loss with grad enabled."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def _params_with_grad(self, group, name):
        """The parameters of a group that have a gradient (the others are skipped); sparse
        gradients are refused by the optimizers that cannot use them."""
        out = []
        for p in group["params"]:
            if p.grad is None:
                continue
            if getattr(p.grad, "is_sparse", False):
                raise RuntimeError(f"{name} does not support sparse gradients")
            out.append(p)
        return out

    # -- hooks ----------------------------------------------------------------------------------

    def register_step_pre_hook(self, hook):
        """hook(optimizer, args, kwargs) runs before step; it may return (args, kwargs)."""
        return _add_hook(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        """hook(optimizer, args, kwargs) runs after step."""
        return _add_hook(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        return _add_ordered(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        return _add_ordered(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        return _add_ordered(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        return _add_ordered(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # -- state_dict -----------------------------------------------------------------------------

    def state_dict(self):
        """Spec optim.Optimizer.state-dict: {'state': {index: state}, 'param_groups': [groups
        with 'params' as indices numbered across the groups in order]}. The state tensors are
        the optimizer's own (not copies)."""
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)
        index = {}
        groups = []
        for group in self.param_groups:
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v
                 for k, v in self.state.items()}
        result = {"state": state, "param_groups": groups}
        for hook in self._optimizer_state_dict_post_hooks.values():
            returned = hook(self, result)
            if returned is not None:
                result = returned
        return result

    def load_state_dict(self, state_dict):
        """Spec optim.Optimizer.load-state-dict: groups and parameters are matched by position;
        state tensors are cast to their parameter's dtype and device ('step' stays as saved)."""
        state_dict = state_dict.copy()
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            returned = hook(self, state_dict)
            if returned is not None:
                state_dict = returned
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        by_id = dict(zip(itertools.chain.from_iterable(g["params"] for g in saved_groups),
                         itertools.chain.from_iterable(g["params"] for g in groups)))
        state = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in by_id:
                param = by_id[key]
                state[param] = _cast_state(param, value, _group_flags(key, saved_groups))
            else:
                state[key] = value
        new_groups = []
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            new_groups.append(saved)
        self.__setstate__({"state": state, "param_groups": new_groups})
        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)


def _add_ordered(hooks, hook, prepend):
    handle = _add_hook(hooks, hook)
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


def _group_flags(param_id, saved_groups):
    for group in saved_groups:
        if param_id in group["params"]:
            return bool(group.get("fused") or group.get("capturable"))
    return False


def _cast_state(param, value, keep_step_float32, key=None):
    """A loaded state value: tensors moved to the parameter's device and, when the parameter
    is floating point, cast to its dtype; 'step' keeps its dtype (float32 when the group is
    fused or capturable)."""
    if isinstance(value, Tensor):
        if key == "step":
            return value.to(dtype=_dtype.float32, device=param.device) if keep_step_float32 \
                else value
        if param.dtype.is_floating_point:
            return value.to(dtype=param.dtype, device=param.device)
        return value.to(device=param.device)
    if isinstance(value, dict):
        return {k: _cast_state(param, v, keep_step_float32, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, v, keep_step_float32) for v in value)
    return value


def _typename(obj):
    if isinstance(obj, Tensor):
        return "torch." + obj.type().rsplit(".", 1)[-1]
    module = type(obj).__module__
    name = type(obj).__qualname__
    return name if module in ("builtins", None) else f"{module}.{name}"


# -- tensors of the update rules ---------------------------------------------------------------

def array(t):
    """The elements of a tensor as a NumPy array (a view on cpu)."""
    return t._array if t._device.type == "cpu" else t._host()


def assign(t, value):
    """Write `value` (broadcast) into tensor t in place and bump its version, as an in-place
    op does."""
    if t._device.type == "cpu":
        t._array[...] = value
    else:
        t._xp.copy_(t._array, t._xp.asarray(np.broadcast_to(value, t._shape), t._dtype.np))
    t._bump_version()


def full_like(p, value):
    """A state tensor shaped like p (its strides when p is dense: preserve_format)."""
    dense = _layout.is_non_overlapping_and_dense(p._shape, p._stride)
    t = Tensor._empty(p._shape, p._dtype, p._device, p._stride if dense else None)
    assign(t, value)
    t._version_counter.value = 0
    return t


def clone(t):
    """A detached copy of t with t's layout (torch's clone with preserve_format)."""
    return full_like(t, array(t))


def scalar_tensor(value):
    """A 0-dim state scalar ('step', 'eta', 'mu'): float32, or float64 when the default dtype
    is float64 (torch's _get_scalar_dtype)."""
    dtype = _dtype.float64 if _dtype.get_default_dtype() is _dtype.float64 else _dtype.float32
    t = Tensor._from_array(np.asarray(value, dtype=dtype.np).reshape(()).copy(), dtype)
    return t


def value(t):
    """A 0-dim tensor's value as a Python float (torch's _get_value: .item())."""
    return float(array(t))


def increment(step_t):
    """step_t += 1 in place (a 0-dim float tensor)."""
    assign(step_t, array(step_t) + np.asarray(1, array(step_t).dtype))
    return value(step_t)


def grad_of(p, maximize):
    """The gradient the update uses: -grad with maximize=True."""
    g = array(p.grad)
    return -g if maximize else g
