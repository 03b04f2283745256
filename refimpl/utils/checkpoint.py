"""torch.utils.checkpoint: trade recomputation for memory.

`checkpoint(function, *args)` runs `function` so that its intermediate results are not kept
for backward; backward runs `function` a second time to get them back (spec
torch.utils.checkpoint.recompute), with the forward's random state replayed
(torch.utils.checkpoint.rng-state). Results and gradients equal the plain call's
(torch.utils.checkpoint.same-result). Two variants, as in torch:

- reentrant (`use_reentrant=True`, and the default with a warning): the function runs under
  no_grad inside one autograd Function, `CheckpointFunction`, whose backward reruns it with
  grad on and back-propagates through the rerun;
- non-reentrant (`use_reentrant=False`): the function runs with grad on, so outputs keep the
  function's own grad_fn, but the tensors its nodes saved are dropped at once; the first of
  its nodes that backward reaches reruns the function and hands the recomputed saved tensors,
  in creation order, to the original nodes.
"""

import warnings

from .. import random
from .._tensor import Tensor
from ..autograd import graph
from ..autograd.function import Function
from ..autograd.grad_mode import enable_grad, is_grad_enabled

USE_REENTRANT_WARNING = (
    "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting "
    "in PyTorch 2.9, calling checkpoint without use_reentrant will raise an exception. "
    "use_reentrant=False is recommended, but if you need to preserve the current default "
    "behavior, you can pass use_reentrant=True. Refer to docs for more details on the "
    "differences between the two variants.")


def _detached(args):
    """Inputs for a rerun: tensors detached, with their requires_grad kept."""
    return tuple(a.detach().requires_grad_(a.requires_grad) if isinstance(a, Tensor) else a
                 for a in args)


class CheckpointFunction(Function):
    """The reentrant variant: forward without a graph, backward reruns with one."""

    @staticmethod
    def forward(ctx, run_function, preserve_rng_state, *args):
        ctx.run_function = run_function
        ctx.rng_state = random.get_rng_state() if preserve_rng_state else None
        ctx.args = args
        ctx.save_for_backward(*(a for a in args if isinstance(a, Tensor)))
        return run_function(*args)

    @staticmethod
    def backward(ctx, *grads):
        _ = ctx.saved_tensors  # raises torch's error when the graph was already freed
        inputs = _detached(ctx.args)
        with random.fork_rng(enabled=ctx.rng_state is not None):
            if ctx.rng_state is not None:
                random.set_rng_state(ctx.rng_state)
            with enable_grad():
                outputs = ctx.run_function(*inputs)
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        pairs = [(o, g) for o, g in zip(outputs, grads)
                 if isinstance(o, Tensor) and o.requires_grad and g is not None]
        if not pairs:
            raise RuntimeError(
                "none of output has requires_grad=True, this checkpoint() is not necessary")
        from ..autograd import backward
        backward([o for o, _ in pairs], [g for _, g in pairs])
        return (None, None) + tuple(a.grad if isinstance(a, Tensor) else None for a in inputs)


def _nodes_created(outputs, first, last):
    """The graph nodes recorded between sequence numbers first and last, in creation order."""
    seen, stack = {}, [o.grad_fn for o in outputs if isinstance(o, Tensor)]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen or not first < node._seq < last:
            continue
        seen[id(node)] = node
        stack.extend(fn for fn, _ in node.next_functions)
    return sorted(seen.values(), key=lambda n: n._seq)


def _saved_of(node):
    """The SavedTensor objects a node keeps for its backward."""
    saved = getattr(node, "_saved", None) or ()
    values = saved.values() if isinstance(saved, dict) else saved
    return [s for s in values if isinstance(s, graph.SavedTensor)]


def _run(function, args):
    first = next(graph._sequence)
    outputs = function(*args)
    last = next(graph._sequence)
    flat = outputs if isinstance(outputs, (tuple, list)) else (outputs,)
    return outputs, _nodes_created(flat, first, last)


def _checkpoint_without_reentrant(function, preserve_rng_state, args, kwargs):
    rng_state = random.get_rng_state() if preserve_rng_state else None
    # The forward's own saved tensors are dropped below, so saved-tensor hooks do not see them;
    # what is kept are the inputs, saved under the hooks open outside (as torch does).
    with graph._plain_saving():
        outputs, nodes = _run(lambda *a: function(*a, **kwargs), args)
    kept_inputs = [graph.SavedTensor(a, False, "CheckpointFunctionBackward")
                   if isinstance(a, Tensor) else a for a in args]
    saved = [s for node in nodes for s in _saved_of(node)]
    for s in saved:
        s._tensor = None                   # the intermediate results are not kept
    recomputed = []

    def recompute(_grads):
        if recomputed:
            return None
        with random.fork_rng(enabled=rng_state is not None):
            if rng_state is not None:
                random.set_rng_state(rng_state)
            inputs = [a.unpack(None) if isinstance(a, graph.SavedTensor) else a
                      for a in kept_inputs]
            with enable_grad(), graph._plain_saving():
                _, again = _run(lambda *a: function(*a, **kwargs), _detached(inputs))
        fresh = [s for node in again for s in _saved_of(node)]
        if len(fresh) != len(saved):
            raise RuntimeError(
                "torch.utils.checkpoint: A different number of tensors was saved during the "
                "original forward and recomputation.")
        for old, new in zip(saved, fresh):
            old._tensor, old._version = new._tensor, new._version
        recomputed.append(True)
        return None

    for node in nodes:
        node.register_prehook(recompute)
    return outputs


def checkpoint(function, *args, use_reentrant=None, context_fn=None, determinism_check="default",
               debug=False, early_stop=True, preserve_rng_state=True, **kwargs):
    """function(*args, **kwargs) without keeping its intermediate results; backward recomputes
    them (spec torch.utils.checkpoint.same-result, .recompute, .arguments,
    .use-reentrant-default)."""
    if use_reentrant is None:
        warnings.warn(USE_REENTRANT_WARNING, UserWarning, stacklevel=2)
        use_reentrant = True
    if not use_reentrant:
        return _checkpoint_without_reentrant(function, preserve_rng_state, args, kwargs)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if is_grad_enabled() and not any(isinstance(a, Tensor) and a.requires_grad for a in args):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None",
                      UserWarning, stacklevel=2)
    return CheckpointFunction.apply(function, preserve_rng_state, *args)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """Run the modules of `functions` (an nn.Sequential or a list) in `segments` chunks, each
    chunk but the last under checkpoint; the last runs plainly (spec
    torch.utils.checkpoint.sequential)."""
    if use_reentrant is None:
        warnings.warn(USE_REENTRANT_WARNING, UserWarning, stacklevel=2)
        use_reentrant = True
    modules = list(functions.children()) if hasattr(functions, "children") else list(functions)

    def run_segment(start, end):
        def forward(x):
            for j in range(start, end + 1):
                x = modules[j](x)
            return x
        return forward

    size = len(modules) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run_segment(start, end), input, use_reentrant=use_reentrant,
                           **kwargs)
    return run_segment(end + 1, len(modules) - 1)(input)
