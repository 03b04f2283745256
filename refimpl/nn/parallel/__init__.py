"""torch.nn.parallel: DataParallel and data_parallel, as they behave on a machine without an
accelerator (refimpl's cuda device does not replicate modules).

Spec nn.functional.data-parallel: data_parallel(module, inputs) with no device_ids raises
RuntimeError('device type could not be determined') when no accelerator is present;
DataParallel(module) then keeps `module` as its only child (state_dict keys `module.*`),
has device_ids == [] and its forward is module's forward.
"""

from ..modules.module import Module

__all__ = ["DataParallel", "data_parallel"]


class DataParallel(Module):
    """Wraps `module`; without devices to replicate it on, calls it directly."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = module
        self.device_ids = []        # torch's value when it finds no accelerator type
        self.output_device = output_device
        self.dim = dim

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)


def data_parallel(module, inputs, device_ids=None, output_device=None, dim=0,
                  module_kwargs=None):
    """The functional form: splits inputs over device_ids and gathers the outputs; it first
    determines the accelerator type, and there is none (whatever device_ids says)."""
    raise RuntimeError("device type could not be determined")
