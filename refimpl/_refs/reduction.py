"""Reductions, scans, sorting and selection.

Spec torch.sum: `sum(input, dim=None, keepdim=False, *, dtype=None)`; bool and integer
inputs sum to int64 unless `dtype` is given; `dim` is an int or a tuple, negative dims count
from the end, and a dim out of range is an IndexError.

The rules every reduction here shares (spec torch.reduction.*):
- `dim=None` reduces every dim; `keepdim=True` keeps reduced dims with size 1.
- reductions with an identity (sum, prod, all, any, logsumexp) accept empty inputs (sum of
  nothing is 0, mean of nothing NaN); those without one (max, min, argmax, median, mode)
  raise RuntimeError for a full reduction of an empty tensor and IndexError when a reduced
  dim has size 0.
- NaN propagates through max/min/amax/median; sorting treats NaN as the largest value.
- ops returning values and indices give a `torch.return_types.<name>` structseq; the
  gradient of the values goes to the chosen index; full max/min/median spread it evenly over
  ties.
"""

import builtins
import math
import operator

from .. import _dtype
from .._dispatch import Op, _add_method, op
from .._tensor import Tensor, scalar_type_name, wrap_dim
from .._tensor_str import set_printoptions
from .pointwise import exp, where

# -- torch.return_types -------------------------------------------------------------------------


class _StructSeq(tuple):
    """A named tuple printed as torch prints its structseqs:
    `torch.return_types.max(\\nvalues=...,\\nindices=...)`."""

    __slots__ = ()
    _fields = ()

    def __new__(cls, *values):
        return tuple.__new__(cls, values)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"torch.return_types.{type(self).__name__}(\n{body})"

    def __reduce__(self):
        return (type(self), tuple(self))


def _return_type(name, fields=("values", "indices")):
    attrs = {f: property(operator.itemgetter(i)) for i, f in enumerate(fields)}
    return type(name, (_StructSeq,), {"__slots__": (), "_fields": fields, **attrs})


class return_types:  # noqa: N801 - torch.return_types is a module; this is its namespace
    """torch.return_types: the structseqs of ops that return values and indices."""

    max = _return_type("max")
    min = _return_type("min")
    aminmax = _return_type("aminmax", ("min", "max"))
    sort = _return_type("sort")
    topk = _return_type("topk")
    kthvalue = _return_type("kthvalue")
    median = _return_type("median")
    nanmedian = _return_type("nanmedian")
    mode = _return_type("mode")
    cummax = _return_type("cummax")
    cummin = _return_type("cummin")


# -- shared helpers ---------------------------------------------------------------------------


def reduced_dims(dim, ndim):
    """The dims a reduction runs over, non-negative and sorted (all dims for None or ())."""
    if dim is None or dim == () or dim == []:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    out = sorted(wrap_dim(d, ndim) for d in dims)
    if ndim == 0:  # a 0-dim tensor accepts dim 0 or -1 and has nothing to reduce
        return ()
    for a, b in zip(out, out[1:]):
        if a == b:
            raise RuntimeError(f"dim {a} appears multiple times in the list of dims")
    return tuple(out)


def _reduced_count(shape, dim):
    return math.prod(shape[d] for d in reduced_dims(dim, len(shape)))


def _keep(grad, input_shape, dim, keepdim):
    """grad of a reduction with its reduced dims put back as size-1 dims."""
    if not keepdim and input_shape:
        for d in reduced_dims(dim, len(input_shape)):
            grad = grad.unsqueeze(d)
    return grad


def _sum_backward(grad, input_shape, dim, keepdim):
    """The gradient of sum: grad broadcast back over the summed dims."""
    return _keep(grad, input_shape, dim, keepdim).expand(input_shape)


def _float_only(name, dtype, message=None):
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(message or f"{name}(): expected input to have floating point or "
                           f"complex dtype but got {scalar_type_name(dtype)}")


def _no_complex(kernel, dtype):
    if dtype.is_complex:
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{scalar_type_name(dtype)}'")


def _check_nonempty(name, input, dim, axes, full_error=RuntimeError):
    """torch's errors for reductions without an identity over empty inputs."""
    if input.numel() != 0:
        return
    if dim is None or dim == ():
        extra = "" if full_error is IndexError else \
            " Specify the reduction dim with the 'dim' argument."
        raise full_error(f"{name}(): Expected reduction dim to be specified for input.numel() "
                         f"== 0.{extra}")
    for a in axes:
        if input.shape[a] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {a} to have non-zero size.")


def _integral_to_int64(dtype):
    return dtype if dtype.is_floating_point or dtype.is_complex else _dtype.int64


def _axis(axes):
    """A NumPy axis argument (an int where one dim is reduced: argmax needs that)."""
    return axes[0] if len(axes) == 1 else axes


# -- masks the backward formulas need (constants to autograd) --------------------------------


@op(tensors=("input", "value"), method=False)
def _ties(xp, input, value):
    """1 where input equals value (both NaN counts as equal), else 0, in input's dtype."""
    a, v = input._array, value._array
    mask = xp.equal(a, v) | (xp.isnan(a) & xp.isnan(v)) if input.dtype.is_floating_point \
        else xp.equal(a, v)
    return xp.astype(mask, input.dtype.np), input.dtype


@op(tensors=("input",), method=False)
def _sign(xp, input):
    """sign(x) as a constant (its derivative is 0 wherever it exists)."""
    return xp.sign(input._array), input.dtype


@op(tensors=("input",), method=False)
def _not_nan(xp, input):
    """1 where input is not NaN, else 0, in input's dtype."""
    return xp.astype(~xp.isnan(input._array), input.dtype.np), input.dtype


def _evenly(grad, input, result, dim, keepdim):
    """The gradient of a full max/min/median: split evenly among the elements equal to the
    result (spec torch.reduction.max-gradient-ties)."""
    mask = _ties(input, _keep(result, input.shape, dim, keepdim))
    count = mask.sum(reduced_dims(dim, input.dim()), keepdim=True)
    return _keep(grad, input.shape, dim, keepdim) * mask / count


# -- gather / scatter along a dim: the values of index-returning ops -----------------------------


@op(tensors=("input",), method=False, grad_fn=lambda *a, name, **k: name)
def _take_along(xp, input, dim, index, keepdim, *, name):
    """input's values at `index` (same rank as input) along dim; dim squeezed unless keepdim."""
    out = xp.take_along_axis(input._array, index._array, dim)
    if not keepdim:
        out = out.reshape(out.shape[:dim] + out.shape[dim + 1:])
    return out, input.dtype


@op(tensors=("grad",), method=False, grad_fn="ScatterAddBackward0")
def _add_along(xp, grad, dim, index, keepdim, shape):
    """zeros(shape) with grad added at index along dim: the gradient of _take_along."""
    g = grad._array
    if not keepdim:
        g = g.reshape(index.shape)
    return xp.add_along_axis(shape, index._array, g, dim), grad.dtype


_take_along.defvjp(lambda grad, dim, index, keepdim, input_shape:
                   _add_along(grad, dim, index, keepdim, input_shape))
_add_along.defvjp(lambda grad, dim, index, keepdim:
                  _take_along(grad, dim, index, keepdim, name="GatherBackward0"))


def _index_result(kind, input, dim, index, keepdim, grad_name):
    """(values, indices) as return_types.<kind>, from keepdim-shaped `index` along dim."""
    if input.dim() == 0:
        values = _take_along(input.reshape(1), 0, index.reshape(1), False, name=grad_name)
        return getattr(return_types, kind)(values, index.reshape(()))
    values = _take_along(input, dim, index, keepdim, name=grad_name)
    if not keepdim:
        index = index.squeeze(dim)
    return getattr(return_types, kind)(values, index)


def _along(xp, input, dim):
    """input's array, with a 0-dim input seen as one element along dim 0."""
    a = input._array
    return (a.reshape(1), 0) if input.dim() == 0 else (a, wrap_dim(dim, input.dim()))


def _index_tensor(input, array):
    """A new int64 tensor on input's device holding `array` (indices computed from input)."""
    xp = input._xp
    return Tensor._from_array(xp.adopt(xp.astype(array, _dtype.int64.np), _dtype.int64.np),
                              _dtype.int64, input.device)


# -- sum, mean, prod, nansum, nanmean -----------------------------------------------------------


@op(tensors=("input",),
    grad_fn=lambda input, dim=None, keepdim=False, **_: "SumBackward0" if dim is None
    else "SumBackward1")
def sum(xp, input, dim=None, keepdim=False, *, dtype=None):
    """torch.sum over `dim` (all dims when None)."""
    if dtype is None:
        dtype = _integral_to_int64(input.dtype)
    axes = reduced_dims(dim, input.dim())
    acc = _dtype.opmath(dtype).np
    return xp.astype(xp.sum(input._array, axes, acc, keepdim), dtype.np), dtype


sum.defvjp(_sum_backward)


@op(tensors=("input",),
    grad_fn=lambda input, dim=None, keepdim=False, **_: "MeanBackward0" if dim is None
    else "MeanBackward1")
def mean(xp, input, dim=None, keepdim=False, *, dtype=None):
    """torch.mean: sum / count; integer and bool inputs need a floating `dtype`; an empty
    reduction is NaN. Spec torch.reduction.mean."""
    out = input.dtype if dtype is None else dtype
    if not (out.is_floating_point or out.is_complex):
        which = "Input" if dtype is None else "Optional"
        raise RuntimeError(f"mean(): could not infer output dtype. {which} dtype must be either "
                           f"a floating point or complex dtype. Got: {scalar_type_name(out)}")
    axes = reduced_dims(dim, input.dim())
    acc = _dtype.opmath(out).np
    return xp.astype(xp.mean(xp.astype(input._array, acc), axes, acc, keepdim), out.np), out


mean.defvjp(lambda grad, input_shape, dim, keepdim:
            _sum_backward(grad, input_shape, dim, keepdim) / _reduced_count(input_shape, dim))


@op(tensors=("input",), grad_fn="NansumBackward0")
def nansum(xp, input, dim=None, keepdim=False, *, dtype=None):
    """torch.nansum: sum with NaN counted as zero."""
    _no_complex("nansum", input.dtype)
    dtype = _integral_to_int64(input.dtype) if dtype is None else dtype
    axes = reduced_dims(dim, input.dim())
    acc = _dtype.opmath(dtype).np
    return xp.astype(xp.nansum(input._array, axes, acc, keepdim), dtype.np), dtype


nansum.defvjp(lambda grad, input, dim, keepdim:
              _sum_backward(grad, input.shape, dim, keepdim) * _not_nan(input))


def nanmean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """torch.nanmean: the mean of the non-NaN values (NaN when there are none); floating
    inputs only."""
    _check_tensor("nanmean", input)
    _float_only("nanmean", input.dtype)
    count = _not_nan(input.detach()).sum(dim, keepdim)
    result = nansum(input, dim, keepdim, dtype=dtype) / count
    return _to_out(result, out)


def _prod_forward(xp, input, dim=None, keepdim=False, *, dtype=None):
    dtype = _integral_to_int64(input.dtype) if dtype is None else dtype
    axes = reduced_dims(dim, input.dim()) if dim is not None else tuple(range(input.dim()))
    acc = _dtype.opmath(dtype).np
    return xp.astype(xp.prod(xp.astype(input._array, acc), axes, acc, keepdim), dtype.np), dtype


@op(tensors=("grad",), method=False, grad_fn="ProdBackwardBackward0")
def _prod_backward(xp, grad, input, dim, keepdim):
    """d prod / d x_i = the product of the other elements (exact where x has zeros)."""
    if dim is None or input.dim() == 0:
        others = xp.prod_of_others(input._array.reshape(-1), 0).reshape(input.shape)
        return xp.multiply(others, grad._array), input.dtype
    d = wrap_dim(dim, input.dim())
    g = grad._array if keepdim else grad._array.reshape(_keep_shape(input.shape, d))
    return xp.multiply(xp.prod_of_others(input._array, d), g), input.dtype


def _keep_shape(shape, d):
    return tuple(1 if i == d else n for i, n in enumerate(shape))


def prod(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """torch.prod of all elements, or along one int dim; integer and bool inputs multiply in
    int64. Spec torch.reduction.prod."""
    _check_tensor("prod", input)
    if dim is None and keepdim:
        raise TypeError("prod() received an invalid combination of arguments - got "
                        "(keepdim=bool, ), but expected one of: (*, dtype), (int dim, "
                        "bool keepdim, *, dtype)")
    if dim is not None and not isinstance(dim, int):
        raise TypeError(f"prod(): argument 'dim' must be int, not {type(dim).__name__}")
    return (_prod_all if dim is None else _prod_dim)(input, dim, keepdim, dtype=dtype, out=out)


_prod_all = Op(_prod_forward, name="prod", tensors=("input",), grad_fn="ProdBackward0",
               method=False)
_prod_dim = Op(_prod_forward, name="prod", tensors=("input",), grad_fn="ProdBackward1",
               method=False)
for _p in (_prod_all, _prod_dim):
    _p.defvjp(lambda grad, input, dim, keepdim: _prod_backward(grad, input, dim, keepdim))


# -- max, min, amax, amin, aminmax, argmax, argmin ----------------------------------------------


def _extreme_forward(name, kernel_name, full_error=RuntimeError):
    def forward(xp, input, dim=(), keepdim=False):
        _no_complex(kernel_name, input.dtype)
        axes = reduced_dims(dim, input.dim())
        _check_nonempty(name, input, dim, axes, full_error)
        return getattr(xp, name.lstrip("_"))(input._array, axes, keepdim), input.dtype
    forward.__name__ = name
    return forward


amax = Op(_extreme_forward("amax", "max_values_cpu"), tensors=("input",), grad_fn="AmaxBackward0")
amin = Op(_extreme_forward("amin", "min_values_cpu"), tensors=("input",), grad_fn="AminBackward0")
_max_all = Op(_extreme_forward("amax", "max_all"), tensors=("input",), name="max",
              grad_fn="MaxBackward1", method=False)
_min_all = Op(_extreme_forward("amin", "min_all"), tensors=("input",), name="min",
              grad_fn="MinBackward1", method=False)
for _e in (amax, amin, _max_all, _min_all):
    _e.defvjp(_evenly)


def _arg_forward(name):
    def forward(xp, input, dim=None, keepdim=False):
        if input.dtype is _dtype.bool:
            raise RuntimeError(f"{name}(): does not support bool input")
        if input.dtype.is_complex:
            raise RuntimeError(f"{name}(): does not support complex input")
        axes = reduced_dims(dim, input.dim()) if dim is not None else None
        if dim is None and input.numel() == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                             "input.numel() == 0.")
        _check_nonempty(name, input, dim, axes or ())
        axis = None if axes is None or not axes else axes[0]
        if input.dim() == 0:
            return xp.astype(xp.asarray(0, _dtype.int64.np), _dtype.int64.np), _dtype.int64
        return xp.astype(getattr(xp, name)(input._array, axis, keepdim),
                         _dtype.int64.np), _dtype.int64
    forward.__name__ = name
    return forward


argmax = Op(_arg_forward("argmax"), tensors=("input",))
argmin = Op(_arg_forward("argmin"), tensors=("input",))


def _extreme(name, full_op, arg_name, maximum_name):
    def fn(input, dim=None, keepdim=False, *, out=None):
        _check_tensor(name, input)
        if isinstance(dim, Tensor):  # max(input, other): the elementwise maximum
            from . import pointwise
            return getattr(pointwise, maximum_name)(input, dim, **({} if out is None
                                                                   else {"out": out}))
        if dim is None:
            if keepdim:
                raise TypeError(f"{name}() received an invalid combination of arguments - got "
                                "(keepdim=bool), but expected one of: (), (Tensor other), "
                                "(int dim, bool keepdim)")
            return full_op(input, out=out)
        if not isinstance(dim, int):
            raise TypeError(f"{name}() received an invalid combination of arguments - got "
                            f"({type(dim).__name__}), but expected (int dim, bool keepdim)")
        _no_complex(f"{name}_cpu", input.dtype)
        d = wrap_dim(dim, input.dim())
        _check_nonempty(name, input, dim, (d,) if input.dim() else ())
        xp = input._xp
        a, axis = _along(xp, input, d)
        index = _index_tensor(input, getattr(xp, arg_name)(a, axis, True))
        return _to_out(_index_result(name, input, d, index, keepdim,
                                     name.capitalize() + "Backward0"), out)
    fn.__name__ = name
    fn.__doc__ = (f"torch.{name}: the {name}imum of all elements (NaN propagates; the gradient "
                  "is split among ties), or (values, indices) along an int dim (the first "
                  f"{name}imal index; the gradient goes to it), or the elementwise "
                  f"{maximum_name} with another tensor. Spec torch.reduction.max-min.")
    return fn


max = _extreme("max", _max_all, "argmax", "maximum")
min = _extreme("min", _min_all, "argmin", "minimum")


def aminmax(input, *, dim=None, keepdim=False):
    """torch.aminmax: (min, max) as return_types.aminmax; an empty reduction is an error."""
    _check_tensor("aminmax", input)
    axes = reduced_dims(dim, input.dim())
    if input.numel() == 0 and (dim is None or builtins.any(input.shape[a] == 0 for a in axes)):
        raise (RuntimeError if dim is None else IndexError)(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
            "identity.")
    dims = () if dim is None else dim
    return return_types.aminmax(amin(input, dims, keepdim), amax(input, dims, keepdim))


# -- var, std, std_mean, var_mean ---------------------------------------------------------------


def _var_args(name, input, dim, unbiased, correction):
    """torch's overloads: var(input, dim, unbiased, keepdim) and var(input, dim, *,
    correction, keepdim); a bool in the dim position is `unbiased`."""
    _check_tensor(name, input)
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise RuntimeError(f"{name}(): can't specify both unbiased and correction")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError("std and var only support floating point and complex dtypes")
    return dim, correction


def _var_forward(xp, input, dim, correction, keepdim):
    axes = reduced_dims(dim, input.dim())
    out = _dtype.float64 if input.dtype is _dtype.complex128 else \
        _dtype.float32 if input.dtype is _dtype.complex64 else input.dtype
    acc = _dtype.opmath(input.dtype).np
    return xp.astype(xp.var(xp.astype(input._array, acc), axes, correction, keepdim),
                     out.np), out


def _per_dof(scale, input_shape, dim, correction):
    """scale / (N - correction), infinite with no degrees of freedom left (as torch's double
    arithmetic gives)."""
    dof = _reduced_count(input_shape, dim) - correction
    return scale / dof if dof > 0 else math.inf


_var = Op(_var_forward, name="var", tensors=("input",), grad_fn="VarBackward0", method=False)
_std = Op(lambda xp, input, dim, correction, keepdim: _sqrt_array(
    xp, *_var_forward(xp, input, dim, correction, keepdim)), name="std", tensors=("input",),
    grad_fn="StdBackward0", method=False)


def _sqrt_array(xp, array, dtype):
    return xp.sqrt(array), dtype


def _centered(input, dim):
    return input - mean(input.detach(), reduced_dims(dim, input.dim()), True)


_var.defvjp(lambda grad, input, dim, correction, keepdim:
            _keep(grad, input.shape, dim, keepdim) * _centered(input, dim) *
            _per_dof(2.0, input.shape, dim, correction))
_std.defvjp(lambda grad, input, result, dim, correction, keepdim:
            _keep(where(result <= 0, 0, grad / result), input.shape, dim, keepdim) *
            _centered(input, dim) * _per_dof(1.0, input.shape, dim, correction))


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """torch.var: sum((x - mean)^2) / (N - correction); correction defaults to 1 (`unbiased`
    is correction 1 or 0). Floating and complex inputs only; a complex input gives its real
    dtype. Spec torch.reduction.var-std."""
    dim, correction = _var_args("var", input, dim, unbiased, correction)
    return _to_out(_var(input, dim, correction, keepdim), out)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """torch.std: the square root of var. Spec torch.reduction.var-std."""
    dim, correction = _var_args("std", input, dim, unbiased, correction)
    return _to_out(_std(input, dim, correction, keepdim), out)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """torch.var_mean: (var, mean) in one call."""
    dim, correction = _var_args("var_mean", input, dim, unbiased, correction)
    return _var(input, dim, correction, keepdim), mean(input, dim, keepdim)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """torch.std_mean: (std, mean) in one call."""
    dim, correction = _var_args("std_mean", input, dim, unbiased, correction)
    return _std(input, dim, correction, keepdim), mean(input, dim, keepdim)


# -- logsumexp, all, any, count_nonzero -------------------------------------------------------


@op(tensors=("input",), grad_fn="LogsumexpBackward0")
def logsumexp(xp, input, dim, keepdim=False):
    """torch.logsumexp: log(sum(exp(x))) over dim, computed stably; integer inputs give the
    default float dtype; an empty reduction is -inf."""
    out = input.dtype if input.dtype.is_floating_point or input.dtype.is_complex else \
        _dtype.get_default_dtype()
    axes = reduced_dims(dim, input.dim())
    acc = _dtype.opmath(out).np
    return xp.astype(xp.logsumexp(xp.astype(input._array, acc), axes, keepdim), out.np), out


logsumexp.defvjp(lambda grad, input, result, dim, keepdim:
                 _keep(grad, input.shape, dim, keepdim) *
                 exp(input - _keep(result, input.shape, dim, keepdim)))


def _logical_forward(name):
    def forward(xp, input, dim=None, keepdim=False):
        axes = reduced_dims(dim, input.dim())
        out = _dtype.uint8 if input.dtype is _dtype.uint8 else _dtype.bool
        return xp.astype(getattr(xp, name)(input._array, axes, keepdim), out.np), out
    forward.__name__ = name
    forward.__doc__ = (f"torch.{name}: whether {name} element is nonzero, over dim (all dims "
                       "when None); the result is bool, or uint8 for a uint8 input.")
    return forward


all = Op(_logical_forward("all"), tensors=("input",))
any = Op(_logical_forward("any"), tensors=("input",))


@op(tensors=("input",))
def count_nonzero(xp, input, dim=None):
    """torch.count_nonzero: the number of nonzero elements over dim (int or tuple), int64."""
    axes = reduced_dims(dim, input.dim())
    return xp.count_nonzero(input._array, axes), _dtype.int64


# -- scans ------------------------------------------------------------------------------------


def _scan_dim(input, dim):
    return 0 if input.dim() == 0 else wrap_dim(dim, input.dim())


def _scan_array(input):
    return input._array.reshape(1) if input.dim() == 0 else input._array


@op(tensors=("input",), grad_fn="CumsumBackward0")
def cumsum(xp, input, dim, *, dtype=None):
    """torch.cumsum: running sums along dim; bool and integer inputs give int64."""
    dtype = _integral_to_int64(input.dtype) if dtype is None else dtype
    d = _scan_dim(input, dim)
    out = xp.cumsum(xp.astype(_scan_array(input), dtype.np), d, dtype.np)
    return out.reshape(input.shape), dtype


def _reverse_cumsum(grad, dim):
    """sum over j >= i of grad_j: the gradient of cumsum."""
    if grad.dim() == 0:
        return grad
    return grad.sum(dim, keepdim=True) - cumsum(grad, dim) + grad


cumsum.defvjp(lambda grad, dim: _reverse_cumsum(grad, dim))


@op(tensors=("input",), grad_fn="CumprodBackward0")
def cumprod(xp, input, dim, *, dtype=None):
    """torch.cumprod: running products along dim; bool and integer inputs give int64."""
    dtype = _integral_to_int64(input.dtype) if dtype is None else dtype
    d = _scan_dim(input, dim)
    out = xp.cumprod(xp.astype(_scan_array(input), dtype.np), d, dtype.np)
    return out.reshape(input.shape), dtype


@op(tensors=("grad",), method=False, grad_fn="CumprodBackwardBackward0")
def _cumprod_backward(xp, grad, input, dim):
    """d/dx_i of sum_j g_j prod_{k<=j} x_k, without dividing (exact where x has zeros)."""
    out = xp.cumprod_backward(_scan_array(input), _scan_array(grad), _scan_dim(input, dim))
    return out.reshape(input.shape), input.dtype


cumprod.defvjp(lambda grad, input, dim: _cumprod_backward(grad, input, dim))


def _cum_extreme(name):
    def fn(input, dim, *, out=None):
        _check_tensor(name, input)
        _no_complex(f"{name}_cpu", input.dtype)
        d = _scan_dim(input, dim)
        xp = input._xp
        a = _scan_array(input)
        _, index = getattr(xp, name)(a, d)
        index = _index_tensor(input, index.reshape(input.shape))
        return _to_out(_index_result(name, input, d, index, True,
                                     name.capitalize() + "Backward0"), out)
    fn.__name__ = name
    fn.__doc__ = (f"torch.{name}: the running {name[3:]}imum along dim and the index where it "
                  "was reached (a later equal value takes over; NaN stays once seen).")
    return fn


cummax = _cum_extreme("cummax")
cummin = _cum_extreme("cummin")


@op(tensors=("input",), grad_fn="LogcumsumexpBackward0")
def logcumsumexp(xp, input, dim):
    """torch.logcumsumexp: log of the running sums of exp along dim; floating inputs only."""
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise NotImplementedError('"logcumsumexp_out_cpu" not implemented for '
                                  f"'{scalar_type_name(input.dtype)}'")
    d = _scan_dim(input, dim)
    acc = _dtype.opmath(input.dtype).np
    out = xp.logcumsumexp(xp.astype(_scan_array(input), acc), d)
    return xp.astype(out, input.dtype.np).reshape(input.shape), input.dtype


@op(tensors=("grad",), method=False, grad_fn="LogcumsumexpBackwardBackward0")
def _logcumsumexp_backward(xp, grad, input, result, dim):
    """sum over j >= i of grad_j * exp(x_i - result_j)."""
    out = xp.logcumsumexp_backward(_scan_array(input), _scan_array(result), _scan_array(grad),
                                   _scan_dim(input, dim))
    return out.reshape(input.shape), input.dtype


logcumsumexp.defvjp(lambda grad, input, result, dim:
                    _logcumsumexp_backward(grad, input, result, dim))


# -- sorting and selection ----------------------------------------------------------------------


def _sort_index(input, dim, descending):
    xp = input._xp
    a, d = _along(xp, input, dim)
    return _index_tensor(input, xp.sort_indices(a, d, descending)), d


def sort(input, *args, stable=None, out=None, **kwargs):
    """torch.sort(input, dim=-1, descending=False) or sort(input, *, stable, dim=-1,
    descending=False): (values, indices) along dim, ascending unless descending; NaN sorts as
    the largest value; equal values keep their order (the stable order). `stable` cannot be
    combined with a positional dim or descending (torch's overloads). Spec torch.sorting.sort."""
    _check_tensor("sort", input)
    if stable is not None and args:
        raise TypeError("sort() received an invalid combination of arguments - got (Tensor, "
                        f"{', '.join(type(a).__name__ for a in args)}, stable=bool), but "
                        "expected (Tensor input, int dim, bool descending) or (Tensor input, *, "
                        "bool stable, int dim, bool descending)")
    dim, descending = _sort_args(args, kwargs)
    _no_complex("sort", input.dtype)
    index, d = _sort_index(input, dim, descending)
    return _to_out(_index_result("sort", input, d, index, True, "SortBackward0"), out)


def _sort_args(args, kwargs):
    names = ("dim", "descending")
    if len(args) > 2:
        raise TypeError(f"sort() takes at most 3 positional arguments ({len(args) + 1} given)")
    values = dict(zip(names, args))
    for k, v in kwargs.items():
        if k not in names or k in values:
            raise TypeError(f"sort() got an unexpected keyword argument '{k}'")
        values[k] = v
    return values.get("dim", -1), values.get("descending", False)


def argsort(input, *args, stable=None, **kwargs):
    """torch.argsort: the indices sort(input, dim, descending, stable) returns."""
    return sort(input, *args, stable=stable, **kwargs).indices


def msort(input, *, out=None):
    """torch.msort: sort(input, dim=0).values."""
    return _to_out(sort(input, 0).values, out)


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """torch.topk: the k largest (or smallest) values along dim, sorted, with their indices;
    NaN counts as the largest value. Spec torch.sorting.topk."""
    _check_tensor("topk", input)
    _no_complex("topk_cpu", input.dtype)
    size = input.shape[wrap_dim(dim, input.dim())] if input.dim() else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    index, d = _sort_index(input, dim, largest)
    index = index.narrow(d, 0, k) if input.dim() else index  # a 0-dim input: itself
    return _to_out(_index_result("topk", input, d, index, True, "TopkBackward0"), out)


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """torch.kthvalue: the k-th smallest value (k from 1) along dim and its index."""
    _check_tensor("kthvalue", input)
    d = wrap_dim(dim, input.dim())
    size = input.shape[d] if input.dim() else 1
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    index, d = _sort_index(input, d, False)
    index = index.narrow(d, k - 1, 1) if input.dim() else index
    return _to_out(_index_result("kthvalue", input, d, index, keepdim, "KthvalueBackward0"),
                   out)


def _median_forward(name, ignore_nan):
    def forward(xp, input):
        if input.numel() == 0:
            return xp.full((), float("nan"), input.dtype.np), input.dtype
        flat = input._array.reshape(-1)
        i = xp.median_indices(flat, 0, ignore_nan)
        return xp.take_along_axis(flat, i, 0).reshape(()), input.dtype
    forward.__name__ = name
    return forward


_median_all = Op(_median_forward("median", False), tensors=("input",), name="median",
                 grad_fn="MedianBackward0", method=False)
_nanmedian_all = Op(_median_forward("nanmedian", True), tensors=("input",), name="nanmedian",
                    grad_fn="NanmedianBackward0", method=False)
for _m in (_median_all, _nanmedian_all):
    _m.defvjp(lambda grad, input, result: _evenly(grad, input, result, None, False))


def _median(name, all_op, ignore_nan):
    def fn(input, dim=None, keepdim=False, *, out=None):
        _check_tensor(name, input)
        _no_complex(f"{name}_cpu", input.dtype)
        if dim is None:
            return all_op(input, out=out)
        d = wrap_dim(dim, input.dim())
        _check_nonempty(name, input, dim, (d,) if input.dim() else ())
        xp = input._xp
        a, axis = _along(xp, input, d)
        index = _index_tensor(input, xp.median_indices(a, axis, ignore_nan))
        return _to_out(_index_result(name, input, d, index, keepdim,
                                     name.capitalize() + "Backward1"), out)
    fn.__name__ = name
    return fn


median = _median("median", _median_all, False)
median.__doc__ = ("torch.median: the lower median (the element at position (n-1)//2 of the "
                  "sorted values); NaN if any value is NaN. With dim: (values, indices). "
                  "Spec torch.sorting.median.")
nanmedian = _median("nanmedian", _nanmedian_all, True)
nanmedian.__doc__ = "torch.nanmedian: median of the non-NaN values."


def mode(input, dim=-1, keepdim=False, *, out=None):
    """torch.mode: the most frequent value along dim (the smallest among equally frequent
    ones) and the index of its last occurrence."""
    _check_tensor("mode", input)
    d = wrap_dim(dim, input.dim())
    _check_nonempty("mode", input, dim, (d,) if input.dim() else ())
    xp = input._xp
    a, axis = _along(xp, input, d)
    _, index = xp.mode_along(a, axis)
    return _to_out(_index_result("mode", input, d, _index_tensor(input, index), keepdim,
                                 "ModeBackward0"), out)


def _quantile(name, ignore_nan):
    def fn(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
        _check_tensor(name, input)
        if input.dtype not in (_dtype.float32, _dtype.float64):
            raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
        if interpolation not in ("linear", "lower", "higher", "midpoint", "nearest"):
            raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, "
                               f"midpoint or nearest. Got {interpolation}")
        qs = q._host() if isinstance(q, Tensor) else q
        if isinstance(q, Tensor) and q.dim() > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        import numpy as np
        if np.any((np.asarray(qs) < 0) | (np.asarray(qs) > 1)):
            raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
        if input.numel() == 0:
            raise RuntimeError(f"{name}() input tensor must be non-empty")
        axis = None if dim is None else wrap_dim(dim, input.dim())
        xp = input._xp
        a = input._array if input.dim() else input._array.reshape(1)
        r = xp.quantile(a, qs, axis if input.dim() else (None if dim is None else 0), keepdim,
                        interpolation, ignore_nan)
        qdims = (len(qs),) if isinstance(q, Tensor) and q.dim() else ()
        if keepdim and dim is None:
            r = r.reshape(qdims + (1,) * input.dim())
        elif input.dim() == 0:
            r = r.reshape(qdims)
        result = Tensor._from_array(xp.adopt(xp.astype(r, input.dtype.np), input.dtype.np),
                                    input.dtype, input.device)
        return _to_out(result, out)
    fn.__name__ = name
    fn.__doc__ = (f"torch.{name}: the q-th quantiles along dim (of all elements when None), "
                  "interpolating linearly between neighbours by default; a 1-D q adds a "
                  "leading dim.")
    return fn


quantile = _quantile("quantile", False)
nanquantile = _quantile("nanquantile", True)


# -- unique, bincount, histc, searchsorted, bucketize, diff ---------------------------------------


def _check_unique_dim(input, dim):
    """torch's errors for unique along a dim of a tensor with zero-sized dims."""
    if dim is None or input.numel():
        return
    zero = [d for d, n in enumerate(input.shape) if n == 0]
    if len(zero) > 1:
        raise RuntimeError("Number of zero sized dimensions is more than one, so unique cannot "
                           "be applied ")
    if zero[0] != wrap_dim(dim, input.dim()):
        raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique "
                           "cannot be applied")


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """torch.unique: the sorted distinct values (or distinct slices along dim), optionally
    with the inverse indices and the counts."""
    _check_tensor("unique", input)
    _check_unique_dim(input, dim)
    xp = input._xp
    axis = None if dim is None else wrap_dim(dim, input.dim())
    values, inverse, counts = xp.unique(input._array, axis, return_inverse, return_counts)
    result = [Tensor._from_array(xp.adopt(values, input.dtype.np), input.dtype, input.device)]
    if return_inverse:
        result.append(_index_tensor(input, inverse))
    if return_counts:
        result.append(_index_tensor(input, counts))
    return result[0] if len(result) == 1 else tuple(result)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """torch.unique_consecutive: drops every element (or slice along dim) equal to the one
    before it."""
    _check_tensor("unique_consecutive", input)
    _check_unique_dim(input, dim)
    import numpy as np
    a = input._host()
    axis = 0 if dim is None else wrap_dim(dim, input.dim())
    flat = a.reshape(-1) if dim is None else np.moveaxis(a, axis, 0)
    n = flat.shape[0]
    change = np.ones(n, bool)
    if n > 1:
        diff = flat[1:] != flat[:-1]
        change[1:] = diff.reshape(n - 1, -1).any(axis=1)
    starts = np.flatnonzero(change)
    values = flat[starts] if dim is None else np.moveaxis(flat[starts], 0, axis)
    from .creation import tensor
    result = [tensor(values, dtype=input.dtype, device=input.device)]
    if return_inverse:
        inv = np.cumsum(change) - 1
        result.append(tensor(inv.reshape(a.shape) if dim is None else inv,
                             dtype=_dtype.int64, device=input.device))
    if return_counts:
        result.append(tensor(np.diff(np.append(starts, n)), dtype=_dtype.int64,
                             device=input.device))
    return result[0] if len(result) == 1 else tuple(result)


def bincount(input, weights=None, minlength=0):
    """torch.bincount: counts of each value of a 1-D non-negative integer tensor (int64), or
    sums of `weights` per value (float64 unless weights are float32)."""
    _check_tensor("bincount", input)
    if input.dim() != 1 or input.dtype.is_floating_point or input.dtype.is_complex \
            or input.dtype is _dtype.bool:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    a = input._host()
    if a.size and a.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is not None and tuple(weights.shape) != tuple(input.shape):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    xp = input._xp
    w = None if weights is None else weights._array
    out_dtype = _dtype.int64 if weights is None or input.numel() == 0 else \
        _dtype.float32 if weights.dtype is _dtype.float32 else _dtype.float64
    r = xp.bincount(input._array, w, minlength)
    return Tensor._from_array(xp.adopt(xp.astype(r, out_dtype.np), out_dtype.np), out_dtype,
                              input.device)


def histc(input, bins=100, min=0, max=0, *, out=None):
    """torch.histc: counts in `bins` equal-width bins over [min, max] (the data's range when
    min == max), in input's floating dtype; values outside are ignored."""
    _check_tensor("histc", input)
    if not input.dtype.is_floating_point:
        raise NotImplementedError('"histogram_cpu" not implemented for '
                                  f"'{scalar_type_name(input.dtype)}'")
    if bins <= 0:
        raise RuntimeError("torch.histc(): bins must be > 0, but got " + str(bins))
    a = input._host()
    lo, hi = float(min), float(max)
    if lo == hi and a.size:
        lo, hi = float(a.min()), float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("torch.histc(): max must be larger than min")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc(): range of [{lo}, {hi}] is not finite")
    xp = input._xp
    r = xp.histc(input._array, bins, lo, hi)
    return _to_out(Tensor._from_array(xp.adopt(xp.astype(r, input.dtype.np), input.dtype.np),
                                      input.dtype, input.device), out)


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None, out=None):
    """torch.searchsorted: for each value, the index where it would be inserted into the
    sorted last dim of sorted_sequence (after equal values when right or side='right')."""
    _check_tensor("searchsorted", sorted_sequence)
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, "
                               "got side of left while right was True")
        right = side == "right"
    from .creation import tensor
    scalar = not isinstance(input, Tensor)
    values = tensor(input, device=sorted_sequence.device) if scalar else input
    if sorted_sequence.dim() > 1 and (values.dim() != sorted_sequence.dim() or
                                      values.shape[:-1] != sorted_sequence.shape[:-1]):
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or "
                           "the first N-1 dimensions of boundaries tensor and input value tensor "
                           "must match")
    seq = sorted_sequence
    if sorter is not None:
        seq = _take_along(seq, seq.dim() - 1, sorter, True, name="GatherBackward0")
    xp = sorted_sequence._xp
    r = xp.searchsorted(seq._array, values._array, right)
    out_dtype = _dtype.int32 if out_int32 else _dtype.int64
    return _to_out(Tensor._from_array(xp.adopt(xp.astype(r, out_dtype.np), out_dtype.np),
                                      out_dtype, sorted_sequence.device), out)


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """torch.bucketize: the bucket of each value among 1-D `boundaries` (boundaries[i-1] <
    x <= boundaries[i]; with right, boundaries[i-1] <= x < boundaries[i])."""
    _check_tensor("bucketize", boundaries)
    if boundaries.dim() != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries.dim()})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right, out=out)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    """torch.diff: the n-th forward difference along dim (x[i+1] - x[i]; for bool, x[i+1] !=
    x[i]), after concatenating prepend and append."""
    _check_tensor("diff", input)
    if input.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    from .joining import cat
    d = wrap_dim(dim, input.dim())
    parts = [p for p in (prepend, input, append) if p is not None]
    x = cat(parts, d) if len(parts) > 1 else input
    for _ in range(n):
        size = x.shape[d]
        if size <= 0:
            break
        a, b = x.narrow(d, 1, size - 1), x.narrow(d, 0, size - 1)
        x = _bool_xor(a, b) if x.dtype is _dtype.bool else a - b
    return x


@op(tensors=("input", "other"), method=False)
def _bool_xor(xp, input, other):
    return xp.not_equal(input._array, other._array), _dtype.bool


# -- norm ----------------------------------------------------------------------------------------


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm: the vector p-norm over dim (all elements when None); 'fro' is the 2-norm of
    the flattened input, 'nuc' the nuclear norm of a matrix. Spec torch.linalg.vector-norm."""
    from . import linalg
    _check_tensor("norm", input)
    if p == "nuc":
        return _to_out(linalg.linalg_matrix_norm(input, "nuc", (-2, -1) if dim is None else dim,
                                                 keepdim, dtype=dtype), out)
    ord = 2 if p == "fro" or p is None else p
    if isinstance(dim, int):
        dim = (dim,)
    return _to_out(linalg.linalg_vector_norm(input, ord, dim, keepdim, dtype=dtype), out)


# -- argument checks and the out= form of the plain functions -----------------------------------


def _check_tensor(name, input):
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")


def _to_out(result, out):
    """Write a result (a tensor or a tuple of tensors) into `out`, as the out= form does."""
    if out is None:
        return result
    from .._dispatch import _write_out
    if isinstance(result, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(result):
            raise TypeError(f"out must be a tuple of {len(result)} tensors")
        written = [_write_out("out", o, r._array, r._dtype, [r]) for o, r in zip(out, result)]
        return type(result)(*written) if isinstance(result, _StructSeq) else tuple(written)
    return _write_out("out", out, result._array, result._dtype, [result])


_FUNCTIONS = [nanmean, prod, max, min, aminmax, var, std, var_mean, std_mean, cummax, cummin,
              sort, argsort, msort, topk, kthvalue, median, nanmedian, mode, quantile,
              nanquantile, unique, unique_consecutive, bincount, histc, diff, norm]
for _f in _FUNCTIONS:
    if _f not in (var_mean, std_mean, bincount):
        _add_method(_f.__name__, _f)

__all__ = ["sum", "mean", "nansum", "nanmean", "prod", "max", "min", "amax", "amin",
           "aminmax", "argmax", "argmin", "var", "std", "var_mean", "std_mean", "logsumexp",
           "all", "any", "count_nonzero", "cumsum", "cumprod", "cummax", "cummin",
           "logcumsumexp", "sort", "argsort", "msort", "topk", "kthvalue", "median",
           "nanmedian", "mode", "quantile", "nanquantile", "unique", "unique_consecutive",
           "bincount", "histc", "searchsorted", "bucketize", "diff", "norm", "return_types",
           "set_printoptions"]
