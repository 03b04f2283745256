"""The dynamic graph: nodes recorded by ops, saved tensors, and the backward engine.

Spec torch.autograd.dynamic-graph: every differentiable op on a tensor that requires grad
records a Node (`grad_fn`, named as torch names it, e.g. `AddBackward0`) whose
`next_functions` point at the nodes of its inputs; leaves end in an `AccumulateGrad` node.
`backward` walks that graph from the root in reverse creation order, sums the gradients that
reach each node, and frees the saved tensors unless `retain_graph=True`.
"""

import heapq
import itertools
import sys

from .. import _layout
from .grad_mode import enable_grad, is_grad_enabled, set_grad_enabled

_sequence = itertools.count()

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward.")


class Node:
    """A recorded operation. `apply(grads)` maps the gradients of its outputs (a dict
    output_nr -> gradient) to one gradient per entry of `next_functions`."""

    __slots__ = ("next_functions", "_seq", "_pre_hooks", "_hooks", "_metadata", "__weakref__")

    def __init__(self, next_functions=()):
        self.next_functions = tuple(next_functions)
        self._seq = next(_sequence)
        # hooks and metadata are rare: empty until the first is registered
        self._pre_hooks = self._hooks = self._metadata = None

    @property
    def metadata(self):
        """A dict for the user's data about this node (torch's Node.metadata)."""
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{self.name()} object at {hex(id(self))}>"

    def register_hook(self, fn):
        """fn(grad_inputs, grad_outputs) runs after the node; may return new grad_inputs."""
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _RemovableHandle(self._hooks, fn)

    def register_prehook(self, fn):
        """fn(grad_outputs) runs before the node; may return new grad_outputs."""
        if self._pre_hooks is None:
            self._pre_hooks = {}
        self._pre_hooks.setdefault(None, []).append(fn)
        return _RemovableHandle(self._pre_hooks[None], fn)

    def _add_tensor_hook(self, output_nr, fn):
        if self._pre_hooks is None:
            self._pre_hooks = {}
        hooks = self._pre_hooks.setdefault(output_nr, [])
        hooks.append(fn)
        return _RemovableHandle(hooks, fn)

    def apply(self, grads):
        raise NotImplementedError

    def release(self):
        """Free what the node saved (called after backward unless retain_graph)."""


class _RemovableHandle:
    def __init__(self, hooks, fn):
        self._hooks, self._fn = hooks, fn

    def remove(self):
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)


# The (pack, unpack) pairs of the saved_tensors_hooks contexts now open, innermost last; None
# stands for a scope where tensors are saved as they are (used by checkpoint).
_saved_tensors_hooks = []


class saved_tensors_hooks:
    """torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook): inside the context,
    every tensor an op saves for backward is passed to `pack_hook` and what it returns is kept;
    backward calls `unpack_hook` on that to get the tensor back. The innermost context wins."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook, self.unpack_hook = pack_hook, unpack_hook

    def __enter__(self):
        _saved_tensors_hooks.append((self.pack_hook, self.unpack_hook))
        return self

    def __exit__(self, *exc):
        _saved_tensors_hooks.pop()


class save_on_cpu(saved_tensors_hooks):
    """torch.autograd.graph.save_on_cpu: saved tensors are packed as copies on the cpu (pinned
    if asked and possible) and moved back to their device when backward unpacks them."""

    def __init__(self, pin_memory=False, device_type="cuda"):
        def pack(t):
            return t.device, t.detach().to("cpu", copy=True)

        def unpack(packed):
            device, t = packed
            return t.to(device)
        super().__init__(pack, unpack)


class _plain_saving:
    """A scope where saved tensors are kept as they are, whatever hooks are open outside."""

    def __enter__(self):
        _saved_tensors_hooks.append(None)

    def __exit__(self, *exc):
        _saved_tensors_hooks.pop()


class SavedTensor:
    """A tensor an op keeps for its backward, with the version it had when saved.

    Unpacking after the graph was freed, or after the tensor was modified in place, raises
    torch's RuntimeError. A saved *output* is kept without its grad_fn (no reference cycle) and
    gets the node back on unpacking, so a graph built with create_graph runs through it.
    """

    __slots__ = ("_tensor", "_version", "_is_output", "_node_name", "_output_nr", "_unpack_hook")

    def __init__(self, tensor, is_output, node_name):
        if tensor.is_inference():
            raise RuntimeError(
                "Inference tensors cannot be saved for backward. Please do not use Tensors "
                "created in inference mode in computation tracked by autograd. To work around "
                "this, you can make a clone to get a normal tensor and use it in autograd, or "
                "use `torch.no_grad()` instead of `torch.inference_mode()`.")
        self._version = tensor._version_counter.value
        self._is_output = is_output
        self._node_name = node_name
        self._output_nr = tensor._output_nr
        hooks = _saved_tensors_hooks[-1] if _saved_tensors_hooks else None
        if hooks is not None:
            # Spec torch.autograd.graph.saved-tensors-hooks: what pack returns is kept instead
            # of the tensor, and unpack turns it back into a tensor when backward needs it.
            pack, self._unpack_hook = hooks
            self._tensor = pack(tensor)
            return
        self._unpack_hook = None
        self._tensor = tensor.detach() if is_output else tensor

    def unpack(self, node):
        t = self._tensor
        if t is None:
            raise RuntimeError(FREED_MESSAGE)
        if self._unpack_hook is not None:
            from .._tensor import Tensor
            t = self._unpack_hook(t)
            if not isinstance(t, Tensor):
                raise TypeError("Output of saved tensor unpack_hook expected to be a Tensor but "
                                f"got result of type {type(t).__name__}")
            if self._is_output and node is not None:
                t = t._alias()
                t._grad_fn, t._output_nr, t._requires_grad = node, self._output_nr, True
            return t
        if t._version_counter.value != self._version:
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: [{t.type()} {list(t.shape)}], which is output "
                f"{self._output_nr} of {self._node_name}, is at version "
                f"{t._version_counter.value}; expected version {self._version} instead. Hint: "
                "enable anomaly detection to find the operation that failed to compute its "
                "gradient, with torch.autograd.set_detect_anomaly(True).")
        if self._is_output and node is not None:
            t = t._alias()
            t._grad_fn, t._output_nr, t._requires_grad = node, self._output_nr, True
        return t

    def free(self):
        self._tensor = None


class AccumulateGrad(Node):
    """The node of a leaf: adds the incoming gradient into `variable.grad`.

    Spec torch.autograd.grad-accumulates: gradients add up across backward calls until zeroed.
    A new `.grad` follows the leaf's strides when the leaf is dense, else it is contiguous.
    """

    __slots__ = ("variable",)

    def __init__(self, variable):
        super().__init__()
        self.variable = variable

    def apply(self, grads):
        g = grads.get(0)
        if g is None:
            return ()
        var = self.variable
        if var._grad is None:
            if is_grad_enabled():
                var._grad = g
            elif sys.getrefcount(g) <= _ENGINE_REFS and not g._requires_grad \
                    and _obeys_layout_of(g, var):
                # Nothing but the engine holds this gradient: torch takes it as `.grad`
                # (detached, sharing its storage) instead of copying it.
                var._grad = g.detach()
            else:
                var._grad = g._copy_obeying_layout_of(var)
        elif is_grad_enabled():
            var._grad = var._grad + g
        else:
            var._grad.add_(g)
        for hook in tuple(var._post_accumulate_grad_hooks or ()):
            hook(var)
        return ()


# References to a gradient inside AccumulateGrad.apply when nothing outside the engine holds
# it: the engine's gradient buffer, apply's local name, and getrefcount's own argument.
_ENGINE_REFS = 3


def _obeys_layout_of(grad, var):
    """torch's gradient layout contract: a dense leaf's gradient has the leaf's strides, any
    other leaf's gradient is contiguous."""
    if grad._shape != var._shape:
        return False
    if var._stride == _layout.contiguous_strides(var._shape):  # the common case, quickly
        return grad._stride == var._stride
    if _layout.is_non_overlapping_and_dense(var._shape, var._stride):
        return grad._stride == var._stride
    return grad.is_contiguous() and grad._shape == var._shape


def gradient_edge(tensor):
    """The (node, output_nr) where a tensor's gradient enters the graph."""
    if tensor._base is not None and "_view_of_fn" in tensor.__dict__:
        from .view_grads import current_grad_fn
        current_grad_fn(tensor)
    if tensor._grad_fn is not None:
        return tensor._grad_fn, tensor._output_nr
    return tensor._grad_accumulator(), 0


def _collect(roots):
    """Dependency counts of every node reachable from the root nodes."""
    deps, seen, stack = {}, set(), list(roots)
    seen.update(roots)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return deps, seen


def _needed(nodes, targets):
    """Nodes with an edge leading, directly or not, to a target node: only those run when
    `inputs` are given. Nodes are visited in creation order, which is topological (a node is
    always created after the nodes its edges point to)."""
    needed = set()
    for node in sorted(nodes, key=lambda n: n._seq):
        for nxt, _ in node.next_functions:
            if nxt is not None and (nxt in targets or nxt in needed):
                needed.add(node)
                break
    return needed


def _run_pre_hooks(node, grads):
    for nr, hooks in node._pre_hooks.items():
        if nr is None:
            continue
        for hook in tuple(hooks):
            g = grads.get(nr)
            if g is None:
                continue
            new = hook(g)
            if new is not None:
                grads[nr] = new
    for hook in tuple(node._pre_hooks.get(None, ())):
        outs = tuple(grads.get(i) for i in range(max(grads, default=-1) + 1))
        new = hook(outs)
        if new is not None:
            grads.clear()
            grads.update({i: g for i, g in enumerate(new) if g is not None})


def run_backward(roots, *, retain_graph, create_graph, inputs=None, accumulate=True):
    """Run the graph from `roots` ((node, output_nr, grad) triples).

    With `accumulate=True` (backward) gradients land in leaves' `.grad`; with `inputs` only
    the nodes leading to those inputs run. With `accumulate=False` (autograd.grad) nothing is
    written to `.grad` and the gradients reaching `inputs` are returned, in order.
    """
    root_nodes = {node for node, _, _ in roots}
    deps, nodes = _collect(root_nodes)
    captures = {}
    if inputs is not None:
        edges = [gradient_edge(t) for t in inputs]
        for i, edge in enumerate(edges):
            captures.setdefault(edge, []).append(i)
        targets = {node for node, _ in edges}
        runnable = _needed(nodes, targets)
        if accumulate:  # backward(inputs=...) accumulates into the leaves among the inputs
            runnable |= {n for n in targets if isinstance(n, AccumulateGrad)}
    else:
        runnable = nodes
    results = [None] * (len(inputs) if inputs is not None else 0)

    buffers = {}
    for node, nr, grad in roots:
        _accumulate_into(buffers.setdefault(node, {}), nr, grad)
    ready = [(-n._seq, n) for n in root_nodes if deps.get(n, 0) == 0]
    heapq.heapify(ready)
    with set_grad_enabled(create_graph):
        while ready:
            _, node = heapq.heappop(ready)
            grads = buffers.pop(node, {})
            if node._pre_hooks:
                _run_pre_hooks(node, grads)
            if captures:
                for nr in grads:
                    for i in captures.get((node, nr), ()):
                        results[i] = grads[nr]
            if node in runnable and grads and (accumulate or not isinstance(node, AccumulateGrad)):
                outs = node.apply(grads)
                if node._hooks:
                    for hook in tuple(node._hooks):
                        new = hook(outs, tuple(grads.get(i) for i in range(max(grads) + 1)))
                        if new is not None:
                            outs = tuple(new)
            else:
                outs = (None,) * len(node.next_functions)
            if not retain_graph and node in runnable:
                node.release()
            for (nxt, nr), g in zip(node.next_functions, outs):
                if nxt is None:
                    continue
                if g is not None:
                    buffer = buffers.get(nxt)
                    if buffer is None:
                        buffers[nxt] = {nr: g}
                    else:
                        _accumulate_into(buffer, nr, g)
                deps[nxt] -= 1
                if deps[nxt] == 0:
                    heapq.heappush(ready, (-nxt._seq, nxt))
            # Drop this frame's references to the gradients just handed on, so that an
            # AccumulateGrad node can tell whether anything else holds its gradient.
            grads = outs = g = None
    return results


def _accumulate_into(buffer, nr, grad):
    prev = buffer.get(nr)
    buffer[nr] = grad if prev is None else prev + grad


__all__ = ["Node", "AccumulateGrad", "SavedTensor", "run_backward", "gradient_edge",
           "enable_grad", "saved_tensors_hooks", "save_on_cpu"]
