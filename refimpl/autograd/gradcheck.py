"""gradcheck and gradgradcheck: finite differences against autograd.

Spec torch.autograd.gradcheck: for every output requiring grad and every input requiring
grad, the numerical Jacobian (central differences with step `eps`, each input element
perturbed in place) must match the analytical one (one backward per output element, with a
one-hot grad_output) within `atol + rtol * |numerical|`. A mismatch raises GradcheckError (a
RuntimeError) naming the output and input, or returns False with raise_exception=False.
Running the backward twice must give the same values (within nondet_tol).
gradgradcheck runs gradcheck on the function that computes the first derivatives with
create_graph=True.

The defaults eps=1e-6, atol=1e-5, rtol=1e-3 are torch's own signature (the clause states
them); they are the API's tolerances for finite differences, not a comparison with torch.
"""

import warnings

import numpy as np


class GradcheckError(RuntimeError):
    """Raised by gradcheck and gradgradcheck when a check fails."""


def _tensor_class():
    from .._tensor import Tensor
    return Tensor


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _differentiable_outputs(outputs):
    return [o for o in outputs if o.requires_grad]


def _to_host(t):
    return np.array(t.detach().cpu()._array)


def _numerical_jacobians(func, inputs, wrt, outputs, eps):
    """jac[k][i]: (numel of input k) x (numel of output i), by central differences."""
    jacobians = []
    for k in wrt:
        x = inputs[k]
        data = x._array  # the input's elements, perturbed in place
        per_output = [np.zeros((x.numel(), o.numel()), dtype=o.dtype.np) for o in outputs]
        for e, idx in enumerate(np.ndindex(*x._shape)):
            orig = data[idx].copy()
            data[idx] = orig - eps
            minus = [_to_host(o) for o in _as_tuple(func(*inputs))]
            data[idx] = orig + eps
            plus = [_to_host(o) for o in _as_tuple(func(*inputs))]
            data[idx] = orig
            for i in range(len(outputs)):
                per_output[i][e] = ((plus[i] - minus[i]) / (2 * eps)).reshape(-1)
        jacobians.append(per_output)
    return jacobians


def _analytical_jacobians(outputs, inputs, wrt):
    """jac[k][i] from backward passes with one-hot grad_outputs (rows: input elements)."""
    from . import grad as autograd_grad
    jacobians = [[np.zeros((inputs[k].numel(), o.numel()), dtype=o.dtype.np) for o in outputs]
                 for k in wrt]
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        for j in range(out.numel()):
            grads = autograd_grad(out, [inputs[k] for k in wrt], _one_hot(out, j),
                                  retain_graph=True,
                                  allow_unused=True)
            for n, g in enumerate(grads):
                if g is not None:
                    jacobians[n][i][:, j] = _to_host(g).reshape(-1)
    return jacobians


def _one_hot(out, j):
    from .._refs.creation import tensor
    a = np.zeros(out.numel(), dtype=out.dtype.np)
    a[j] = 1
    return tensor(a.reshape(out._shape), dtype=out.dtype, device=out.device)


def _fail(message, raise_exception):
    if raise_exception:
        raise GradcheckError(message)
    return False


def _format(array, like):
    from .._refs.creation import tensor
    return repr(tensor(array, dtype=like.dtype))


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    """Check the gradients of `func` at `inputs` against finite differences.

    Spec torch.autograd.gradcheck, torch.autograd.gradcheck.float32 (float32 inputs warn and
    usually fail: use float64)."""
    Tensor = _tensor_class()
    inputs = _as_tuple(inputs)
    wrt = [k for k, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not wrt:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of them have requires_grad=True.")
    for k in wrt:
        if inputs[k].dtype.name not in ("float64", "complex128"):
            warnings.warn(
                f"Input #{k} requires gradient and is not a double precision floating point or "
                "complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. ", UserWarning, stacklevel=2)
    outputs = [o for o in _as_tuple(func(*inputs))]
    for o in outputs:
        if not isinstance(o, Tensor):
            raise AttributeError(f"'{type(o).__name__}' object has no attribute "
                                 "'requires_grad'")
    numerical = _numerical_jacobians(func, inputs, wrt, outputs, eps)
    if not _differentiable_outputs(outputs):
        for per_output in numerical:
            if any(np.any(j != 0) for j in per_output):
                return _fail("Numerical gradient for function expected to be zero",
                             raise_exception)
        return True
    if not check_backward_ad:
        return True
    analytical = _analytical_jacobians(outputs, inputs, wrt)
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        for n, k in enumerate(wrt):
            a, num = analytical[n][i], numerical[n][i]
            if not np.allclose(a, num, rtol=rtol, atol=atol):
                return _fail(f"Jacobian mismatch for output {i} with respect to input {k},\n"
                             f"numerical:{_format(num, out)}\n"
                             f"analytical:{_format(a, out)}\n", raise_exception)
    again = _analytical_jacobians(outputs, inputs, wrt)
    for first, second in zip(analytical, again):
        for a, b in zip(first, second):
            if np.any(np.abs(a - b) > nondet_tol):
                return _fail(
                    "Backward is not reentrant, i.e., running backward with same input and "
                    "grad_output multiple times gives different values, although analytical "
                    "gradient matches numerical gradient.The tolerance for nondeterminism was "
                    f"{nondet_tol}.", raise_exception)
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """Check second derivatives: gradcheck of (inputs, grad_outputs) -> the first
    derivatives computed with create_graph=True. Random grad_outputs in [-1, 1) are drawn
    when none are given. Spec torch.autograd.gradcheck."""
    from .._refs.creation import tensor
    from . import grad as autograd_grad
    Tensor = _tensor_class()
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outputs = _differentiable_outputs(_as_tuple(func(*inputs)))
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            tensor(rng.uniform(-1, 1, o._shape).astype(o.dtype.np), dtype=o.dtype,
                   device=o.device, requires_grad=True) for o in outputs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)

    def first_derivatives(*args):
        xs, gs = args[:n_in], args[n_in:]
        outs = _differentiable_outputs(_as_tuple(func(*xs)))
        wrt = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
        grads = autograd_grad(outs, wrt, gs, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivatives, inputs + tuple(grad_outputs), eps=eps, atol=atol,
                     rtol=rtol, raise_exception=raise_exception, nondet_tol=nondet_tol)


__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]
