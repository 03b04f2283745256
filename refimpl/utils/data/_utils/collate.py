"""default_collate and default_convert: how the DataLoader turns samples into batches.

Spec utils.data.default-collate.*: with automatic batching, `default_collate(list_of_samples)`
looks at the type of the first sample (the exact type first, then isinstance, in the order of
`default_collate_fn_map`, then the containers):

| sample | batch |
|---|---|
| Tensor | `stack(batch, 0)`: a new leading dimension |
| NumPy array | each made a tensor, then stacked (string and object arrays: TypeError) |
| NumPy scalar | `as_tensor(batch)` |
| float / int / bool | `tensor(batch, dtype=float64)` / `tensor(batch)` (int64; bools give bool) |
| str / bytes | the list unchanged |
| Mapping | the same mapping type, each key collated over the batch |
| namedtuple | the same namedtuple type, each field collated |
| other Sequence | transposed and each position collated: a tuple gives a list, a list or other
  mutable sequence keeps its type; unequal lengths raise RuntimeError |
| anything else | TypeError |

Spec utils.data.default-convert: without automatic batching, `default_convert(sample)` only
turns NumPy arrays and scalars into tensors, inside the same containers.
"""

import collections.abc
import copy
import re

import numpy as np

from .... import _dtype
from ...._refs.creation import as_tensor, tensor
from ...._tensor import Tensor

# NumPy dtype kinds default_collate cannot make tensors of: bytes, strings, objects.
np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = ("default_collate: batch must contain tensors, numpy arrays, "
                                  "numbers, dicts or lists; found {}")


def _rebuild_mapping(elem, items):
    """A mapping of elem's type holding `items` (torch copies mutable mappings so extra
    attributes survive; immutable ones are rebuilt from a dict; a plain dict otherwise)."""
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)
            clone.update(items)
            return clone
        return type(elem)(items)
    except TypeError:
        return items


def _rebuild_sequence(elem, items):
    """A sequence of elem's type holding `items` (same rule as _rebuild_mapping)."""
    try:
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, item in enumerate(items):
                clone[i] = item
            return clone
        return type(elem)(items)
    except TypeError:
        return items


def default_convert(data):
    """NumPy arrays and scalars become tensors (recursively in mappings and sequences; a tuple
    becomes a list); tensors, numbers, strings and other objects are returned unchanged."""
    elem_type = type(data)
    if isinstance(data, Tensor):
        return data
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "string_"):
        if elem_type.__name__ == "ndarray" and np_str_obj_array_pattern.search(data.dtype.str):
            return data
        return as_tensor(np.asarray(data))      # a NumPy scalar keeps its dtype
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {k: default_convert(data[k]) for k in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):       # namedtuple
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, [default_convert(d) for d in data])
    return data


def collate_tensor_fn(batch, *, collate_fn_map=None):
    import refimpl
    return refimpl.stack(batch, 0)


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return collate([as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    return as_tensor(np.asarray(batch))        # NumPy scalars keep their dtype


def collate_float_fn(batch, *, collate_fn_map=None):
    return tensor(batch, dtype=_dtype.float64)


def collate_int_fn(batch, *, collate_fn_map=None):
    return tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


def collate(batch, *, collate_fn_map=None):
    """Collate a list of samples: the per-type functions of `collate_fn_map` (exact type of
    batch[0] first, then isinstance in the map's order), then mappings, namedtuples and
    sequences recursively; anything else raises TypeError."""
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type, fn in collate_fn_map.items():
            if isinstance(elem, collate_type):
                return fn(batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        return _rebuild_mapping(elem, {key: collate([d[key] for d in batch],
                                                    collate_fn_map=collate_fn_map)
                                       for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):       # namedtuple
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map)
                           for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if not all(len(e) == size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        fields = [collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)]
        if isinstance(elem, tuple):
            return fields                       # a tuple sample gives a list of fields
        return _rebuild_sequence(elem, fields)
    raise TypeError(default_collate_err_msg_format.format(elem_type))


default_collate_fn_map = {
    Tensor: collate_tensor_fn, np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn, int: collate_int_fn, str: collate_str_fn, bytes: collate_str_fn}


def default_collate(batch):
    """Collate a list of samples into a batch by the rules in this module's docstring."""
    return collate(batch, collate_fn_map=default_collate_fn_map)
