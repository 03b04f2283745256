"""torch.autograd: backward, grad, the grad modes, custom Functions and the checking tools.

Spec torch.autograd.two-functions: `backward` accumulates gradients into the leaves' `.grad`
(and returns None); `grad` returns them as a tuple and leaves every `.grad` untouched. A root
needs no gradient argument only when it has one element (torch.autograd.scalar-root).
"""

import warnings

from . import functional, graph  # noqa: F401
from .function import Function, once_differentiable
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .graph import Node, run_backward
from .variable import Variable

__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "is_grad_enabled", "is_inference_mode_enabled", "Node", "Function",
           "once_differentiable", "Variable", "gradcheck", "gradgradcheck", "GradcheckError",
           "functional", "set_detect_anomaly", "detect_anomaly"]

_create_graph_warned = False


def _as_tuple(x):
    if x is None:
        return None
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _roots(tensors, grad_tensors, create_graph):
    """(node, output_nr, gradient) for each root; torch's errors for a bad root or gradient."""
    from .._refs.creation import ones_like
    from .._tensor import Tensor
    from .graph import gradient_edge
    grad_tensors = grad_tensors if grad_tensors is not None else (None,) * len(tensors)
    roots = []
    for i, (t, g) in enumerate(zip(tensors, grad_tensors)):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
        if not t._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               "have a grad_fn")
        if g is None:
            if t.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = ones_like(t)
        elif not isinstance(g, Tensor):
            raise TypeError(f"gradient must be a Tensor, got {type(g).__name__}")
        elif g._shape != t._shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                               f"{g.shape} and output[{i}] has a shape of {t.shape}.")
        if g._dtype is not t._dtype:
            g = g.to(t._dtype)
        node, nr = gradient_edge(t)
        roots.append((node, nr, g if create_graph else g.detach()))
    return roots


def _check_inputs(inputs, api):
    from .._tensor import Tensor
    if inputs is not None and len(inputs) == 0:
        raise RuntimeError(f"`inputs` argument to `{api}()` cannot be empty.")
    for t in inputs or ():
        if not isinstance(t, Tensor):
            raise RuntimeError(f"all inputs have to be Tensors or GradientEdges, but got "
                               f"{type(t).__name__}")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """Accumulate the gradients of `tensors` (weighted by `grad_tensors`) into the `.grad` of
    the leaves, or only of `inputs`; returns None.

    Spec torch.autograd.backward, torch.autograd.backward.grad-tensors,
    torch.autograd.backward.retain-graph (retain_graph defaults to create_graph)."""
    global _create_graph_warned
    tensors = _as_tuple(tensors)
    if grad_variables is not None:
        grad_tensors = grad_variables
    if retain_graph is None:
        retain_graph = create_graph
    inputs = _as_tuple(inputs)
    _check_inputs(inputs, "backward")
    if inputs is not None:
        for t in inputs:
            if not t._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    roots = _roots(tensors, _as_tuple(grad_tensors), create_graph)
    if create_graph and not _create_graph_warned:
        _create_graph_warned = True  # torch warns once per process
        warnings.warn(
            "Using backward() with create_graph=True will create a reference cycle between the "
            "parameter and its gradient which can cause a memory leak. We recommend using "
            "autograd.grad when creating the graph to avoid this. If you have to use this "
            "function, make sure to reset the .grad fields of your parameters to None after "
            "use to break the cycle and avoid the leak.", UserWarning, stacklevel=2)
    grads = run_backward(roots, retain_graph=retain_graph, create_graph=create_graph,
                         inputs=inputs)
    # non-leaf inputs get their gradient in .grad, as retain_grad() would give them
    for t, g in zip(inputs or (), grads):
        if t._grad_fn is not None and g is not None and not t._retains_grad:
            t._grad = g.detach() if t._grad is None else t._grad + g


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of `outputs` with respect to `inputs`, as a tuple; `.grad` is not
    touched.

    Spec torch.autograd.grad-returns-tuple, torch.autograd.grad.allow-unused (an unused input
    is an error unless allow_unused, which gives None, or materialize_grads, zeros),
    torch.autograd.create-graph (with create_graph the results carry a graph)."""
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to "
                      "True). To accumulate gradient for other parts of the graph, please use "
                      "torch.autograd.backward.", FutureWarning, stacklevel=2)
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when "
                         "materialize_grads=True, but got: allow_unused=False.")
    _check_inputs(inputs, "grad")
    if grad_outputs is not None and not isinstance(grad_outputs, (tuple, list)) and \
            not _is_tensor(grad_outputs):
        raise TypeError(f"'{type(grad_outputs).__name__}' object is not iterable")
    if retain_graph is None:
        retain_graph = create_graph
    roots = _roots(outputs, _as_tuple(grad_outputs), create_graph)
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    results = run_backward(roots, retain_graph=retain_graph, create_graph=create_graph,
                           inputs=inputs, accumulate=False)
    out = []
    for t, g in zip(inputs, results):
        if g is None:
            if materialize_grads:
                from .._refs.creation import zeros_like
                g = zeros_like(t, requires_grad=create_graph)
            elif not allow_unused:
                raise RuntimeError("One of the differentiated Tensors appears to not have been "
                                   "used in the graph. Set allow_unused=True if this is the "
                                   "desired behavior.")
        out.append(g)
    return tuple(out)


def _is_tensor(x):
    from .._tensor import Tensor
    return isinstance(x, Tensor)


class detect_anomaly:
    """Anomaly detection: accepted for compatibility; refimpl's errors already name the node."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class set_detect_anomaly(detect_anomaly):
    def __init__(self, mode, check_nan=True):
        super().__init__(check_nan)
