"""torch.autograd.functional: Jacobians, Hessians and their products, from the engine.

Spec torch.autograd.functional: each function takes `func` and `inputs` (a Tensor or a tuple
of Tensors) and answers in the same form: a Tensor for a Tensor input, a tuple for a tuple.
The inputs are detached copies that require grad, so the caller's graph is not touched
(with create_graph=True, inputs that require grad stay connected). An input the output does
not depend on gets zeros (strict=False) or a RuntimeError (strict=True).
"""

from .grad_mode import enable_grad


def _autograd_grad(*args, **kwargs):
    from . import grad
    return grad(*args, **kwargs)


def _tensor_class():
    from .._tensor import Tensor
    return Tensor


def _as_tuple(value, what, api):
    """(tuple of tensors, whether the caller gave a tuple); torch's TypeError otherwise."""
    Tensor = _tensor_class()
    is_tuple = isinstance(value, (tuple, list))
    values = tuple(value) if is_tuple else (value,)
    for i, v in enumerate(values):
        if not isinstance(v, Tensor):
            if what == "inputs":
                raise TypeError(f"The inputs given to {api} must be either a Tensor or a tuple "
                                f"of Tensors but the value at index {i} has type {type(v)}.")
            raise TypeError(f"The outputs of the user-provided function given to {api} must be "
                            f"either a Tensor or a tuple of Tensors but the value at index {i} "
                            f"has type {type(v)}.")
    return values, is_tuple


def _prepare(inputs, create_graph):
    return tuple(x.view_as(x) if create_graph and x.requires_grad else
                 x.detach().requires_grad_(True) for x in inputs)


def _grads(outputs, inputs, grad_outputs, create_graph, strict, api):
    """d(outputs)/d(inputs) weighted by grad_outputs; zeros (or an error) where unused."""
    from .._refs.creation import zeros_like
    outs = [o for o in outputs if o.requires_grad]
    gos = [g for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    if outs:
        grads = _autograd_grad(outs, inputs, gos, retain_graph=True, create_graph=create_graph,
                               allow_unused=True)
    else:
        grads = (None,) * len(inputs)
    result = []
    for i, (x, g) in enumerate(zip(inputs, grads)):
        if g is None:
            if strict:
                raise RuntimeError(f"The output of the user-provided function is independent of "
                                   f"input {i}. This is not allowed in strict mode.")
            g = zeros_like(x)
        result.append(g)
    return tuple(result)


def _finish(values, is_tuple, create_graph):
    values = tuple(v if create_graph else v.detach() for v in values)
    return values if is_tuple else values[0]


def _check_v(v, outputs, api, name="outputs"):
    if v is None:
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError("The vector v can only be None if the user-provided function "
                               "returns a single Tensor with a single element.")
        from .._refs.creation import ones_like
        return (ones_like(outputs[0]),)
    v, _ = _as_tuple(v, "inputs", api)
    if len(v) != len(outputs):
        raise RuntimeError(f"v is a tuple of invalid length: should be {len(outputs)} but got "
                           f"{len(v)}.")
    for i, (a, b) in enumerate(zip(v, outputs)):
        if a.shape != b.shape:
            raise RuntimeError(f"Entry {i} in v has invalid size: should be {b.shape} but got "
                               f"{a.shape}.")
    return v


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J): the vector-Jacobian product at `inputs`."""
    with enable_grad():
        inputs, is_tuple = _as_tuple(inputs, "inputs", "vjp")
        inputs = _prepare(inputs, create_graph)
        outputs, out_tuple = _as_tuple(func(*inputs), "outputs", "vjp")
        v = _check_v(v, outputs, "vjp")
        grads = _grads(outputs, inputs, v, create_graph, strict, "vjp")
    return _finish(outputs, out_tuple, create_graph), _finish(grads, is_tuple, create_graph)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v): the Jacobian-vector product, by the double-backward trick
    (differentiate v^T J with respect to a dummy v)."""
    from .._refs.creation import zeros_like
    with enable_grad():
        inputs, is_tuple = _as_tuple(inputs, "inputs", "jvp")
        inputs = _prepare(inputs, create_graph)
        v = _check_v(v, inputs, "jvp")
        outputs, out_tuple = _as_tuple(func(*inputs), "outputs", "jvp")
        dummies = tuple(zeros_like(o, requires_grad=True) for o in outputs)
        grads = _grads(outputs, inputs, dummies, True, strict, "jvp")
        result = _grads(grads, dummies, v, create_graph, strict, "jvp")
    return _finish(outputs, out_tuple, create_graph), _finish(result, out_tuple, create_graph)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of func at inputs: for output i and input j a tensor of shape
    out_i.shape + in_j.shape; nested tuples follow the tuple-ness of outputs and inputs."""
    from .._refs.creation import zeros_like
    from .._refs.joining import stack
    with enable_grad():
        inputs, is_tuple = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _prepare(inputs, create_graph)
        outputs, out_tuple = _as_tuple(func(*inputs), "outputs", "jacobian")
        per_output = []
        for out in outputs:
            rows = [[] for _ in inputs]
            for j in range(out.numel()):
                grads = _grads([out], inputs, [_one_hot(out, j)], create_graph, strict,
                               "jacobian")
                for r, g in zip(rows, grads):
                    r.append(g)
            per_output.append(tuple(
                (stack(r) if r else zeros_like(x).reshape(0, *x.shape)).reshape(
                    *out.shape, *x.shape) for r, x in zip(rows, inputs)))
    per_output = [_finish(j, is_tuple, create_graph) for j in per_output]
    return tuple(per_output) if out_tuple else per_output[0]


def _one_hot(t, j):
    """A tensor like t, zero except for a 1 at flat index j."""
    from .._refs.creation import arange
    return (arange(t.numel(), device=t.device) == j).to(t.dtype).reshape(t.shape)


def _scalar_func(func, api):
    def wrapped(*inputs):
        out = func(*inputs)
        outs, _ = _as_tuple(out, "outputs", api)
        if len(outs) != 1 or outs[0].numel() != 1:
            raise RuntimeError(f"The function given to {api} should return a single element "
                               "Tensor")
        return outs[0]
    return wrapped


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar function: the Jacobian of its gradient."""
    scalar = _scalar_func(func, "hessian")
    inputs_t, is_tuple = _as_tuple(inputs, "inputs", "hessian")

    def gradient(*xs):
        out = scalar(*xs)
        return _grads([out], xs, [_ones(out)], True, strict, "hessian")

    result = jacobian(gradient, inputs_t, create_graph=create_graph, strict=strict)
    if not is_tuple:
        return result[0][0]
    return result


def _ones(t):
    from .._refs.creation import ones_like
    return ones_like(t)


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H) for a scalar function."""
    scalar = _scalar_func(func, "vhp")
    with enable_grad():
        inputs, is_tuple = _as_tuple(inputs, "inputs", "vhp")
        inputs = _prepare(inputs, create_graph)
        v = _check_v(v, inputs, "vhp")
        out = scalar(*inputs)
        first = _grads([out], inputs, [_ones(out)], True, strict, "vhp")
        result = _grads(first, inputs, v, create_graph, strict, "vhp")
    return _finish((out,), False, create_graph), _finish(result, is_tuple, create_graph)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v) for a scalar function; equal to vhp because the Hessian of a
    twice-differentiable function is symmetric."""
    return vhp(func, inputs, v, create_graph, strict)


__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]
