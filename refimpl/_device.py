"""torch.device: a device type ('cpu' or 'cuda') and an optional index.

Spec torch.device: `device('cuda:1')`, `device('cuda', 1)` and `device('cpu')`; a tensor's
device always carries an index for cuda (`cuda:0`), never for cpu.
"""


class device:
    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            if index is not None:
                raise ValueError("device(): cannot give an index with a torch.device")
            self.type, self.index = type.type, type.index
            return
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({type.__class__.__name__})")
        name, _, idx = type.partition(":")
        if name not in ("cpu", "cuda", "meta"):
            raise RuntimeError(f"Expected one of cpu, cuda, meta device type at start of device "
                               f"string: {type}")
        if idx:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was "
                                   f"passed explicitly: {type}")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}'")
            index = int(idx)
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative, got {index}")
        self.type, self.index = name, index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))


CPU = device("cpu")


def canonical(d):
    """The device a tensor lives on for a user's device argument ('cuda' -> cuda:current)."""
    if d is None:
        return CPU
    if isinstance(d, int):
        d = device("cuda", d)
    elif not isinstance(d, device):
        d = device(d)
    if d.type == "cuda" and d.index is None:
        from . import cuda
        return device("cuda", cuda.current_device())
    return d
