"""nn.Module machinery: registration, iteration, modes, conversion, state_dict, hooks, repr.

Each test builds the same module on both sides (weights from one NumPy array or the same
seed) and compares what torch's Module machinery reports.
"""

from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import tensors


def _x(*shape, requires_grad=False):
    """A float32 input of moderate values (the models multiply several layers: large values
    would make float32 rounding of different summation orders exceed the tolerance)."""
    return tensors(dtype="float32", shape=shape, layouts=("contiguous",), special=False,
                   min_value=-10, max_value=10, requires_grad=requires_grad)


def _net(T):
    """A small model with parameters, a persistent and a non-persistent buffer, a plain
    tensor attribute and nested children."""
    nn = T.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 2)
            self.block = nn.Sequential(nn.ReLU(), nn.Linear(2, 2, bias=False))
            self.scale = nn.Parameter(T.ones(1))
            self.register_buffer("running", T.zeros(2))
            self.register_buffer("tmp", T.ones(2), persistent=False)
            self.cache = T.ones(2)          # a plain tensor: not registered

        def forward(self, x):
            return self.block(self.fc(x)) * self.scale + self.running

    T.manual_seed(0)
    return Net()


def _names(pairs):
    return [n for n, _ in pairs]


@spec("nn.Module.subclass")
@given(x=_x(4, 3))
def test_subclass_instance_call_returns_forward_result(check, x):
    def fn(T, d, x):
        m = _net(T)
        return isinstance(m, T.nn.Module), _names(m.named_children()), m(x)
    check(fn, x, autograd=True)


@spec("nn.Module.init-and-forward")
@given(x=_x(4, 3))
def test_submodules_take_part_and_get_gradients(check, x):
    def fn(T, d, x):
        m = _net(T)
        out = m(x)
        by_hand = m.block(m.fc(x)) * m.scale + m.running
        out.sum().backward()
        return out, by_hand, [p.grad for p in m.parameters()]
    check(fn, x)


@spec("nn.Module.super-init-required")
def test_assigning_parameter_before_super_init_raises(check):
    def fn(T, d):
        class Bad(T.nn.Module):
            def __init__(self):
                self.w = T.nn.Parameter(T.ones(1))
        Bad()
    check(fn)


@spec("nn.Module.forward-required")
def test_missing_forward_raises_not_implemented_on_call(check):
    def fn(T, d):
        class NoForward(T.nn.Module):
            pass
        m = NoForward()
        try:
            m(T.ones(1))
        except NotImplementedError as e:
            return "constructed", str(e)
    check(fn)


@spec("nn.Module.override-forward")
def test_call_passes_args_and_kwargs_to_forward(check):
    def fn(T, d):
        class Echo(T.nn.Module):
            def forward(self, a, b=1, *, c=2):
                return {"a": a, "b": b, "c": c}
        return Echo()(T.ones(2), 5, c=(1, 2))
    check(fn)


@spec("nn.Module.callable")
@given(x=_x(2, 3))
def test_module_is_callable_and_counts_parameters(check, x):
    def fn(T, d, x):
        T.manual_seed(0)
        lin, relu = T.nn.Linear(3, 2), T.nn.ReLU()
        return (type(lin(x)) is T.Tensor, len(list(lin.parameters())),
                len(list(relu.parameters())), relu(x))
    check(fn, x)


@spec("nn.Module.everything-is-a-module")
def test_user_network_is_a_submodule_like_a_layer(check):
    def fn(T, d):
        outer = T.nn.Sequential(_net(T), T.nn.Linear(2, 1))
        return _names(outer.named_parameters()), outer(T.ones(1, 3))
    check(fn)


@spec("nn.Module.dag-shared-submodule")
@given(x=_x(2, 3))
def test_shared_submodule_parameters_once_and_grads_sum(check, x):
    def fn(T, d, x):
        class Twice(T.nn.Module):
            def __init__(self):
                super().__init__()
                T.manual_seed(1)
                self.lin = T.nn.Linear(3, 3)
                self.alias = self.lin

            def forward(self, x):
                return self.alias(self.lin(x))
        m = Twice()
        m(x).sum().backward()
        return _names(m.named_parameters()), [p.grad for p in m.parameters()]
    check(fn, x)


@spec("nn.Module.named-parameters")
def test_named_parameters_is_a_generator_in_registration_order(check):
    def fn(T, d):
        import types
        m = _net(T)
        gen = m.named_parameters()
        return isinstance(gen, types.GeneratorType), _names(gen)
    check(fn)


@spec("nn.Module.named-parameters.options")
@given(prefix=st.sampled_from(["", "model", "a.b"]), recurse=st.booleans(),
       dedup=st.booleans())
def test_named_parameters_prefix_recurse_remove_duplicate(check, prefix, recurse, dedup):
    def fn(T, d):
        m = _net(T)
        m.shared = m.fc
        return _names(m.named_parameters(prefix=prefix, recurse=recurse,
                                         remove_duplicate=dedup))
    check(fn)


@spec("nn.Module.parameters")
def test_parameters_yields_the_named_parameters_objects(check):
    def fn(T, d):
        m = _net(T)
        named = [p for _, p in m.named_parameters()]
        ps = list(m.parameters())
        return len(ps), all(a is b for a, b in zip(named, ps)), ps
    check(fn)


@spec("nn.Module.parameters.recurse")
def test_parameters_recurse_false_and_generator_exhaustion(check):
    def fn(T, d):
        m = _net(T)
        gen = m.parameters()
        first, second = list(gen), list(gen)
        return [tuple(p.shape) for p in m.parameters(recurse=False)], len(first), len(second)
    check(fn)


@spec("nn.Module.register-parameter")
def test_register_parameter_none_and_parameter(check):
    def fn(T, d):
        m = T.nn.Module()
        m.register_parameter("bias", None)
        m.register_parameter("w", T.nn.Parameter(T.ones(2)))
        return m.bias, _names(m.named_parameters()), list(m.state_dict())
    check(fn)


@spec("nn.Module.register-parameter.errors")
@given(case=st.sampled_from(["plain", "dot", "empty", "exists", "assign-plain", "non-leaf",
                             "name-type"]))
def test_register_parameter_errors(check, case):
    def fn(T, d):
        m = T.nn.Module()
        m.other = 3
        m.w = T.nn.Parameter(T.ones(2))
        if case == "plain":
            m.register_parameter("p", T.ones(1))
        elif case == "dot":
            m.register_parameter("a.b", T.nn.Parameter(T.ones(1)))
        elif case == "empty":
            m.register_parameter("", T.nn.Parameter(T.ones(1)))
        elif case == "exists":
            m.register_parameter("other", T.nn.Parameter(T.ones(1)))
        elif case == "assign-plain":
            m.w = T.ones(2)
        elif case == "non-leaf":
            p = T.nn.Parameter(T.ones(1))
            m.register_parameter("q", T.nn.Parameter(p * 2))
        else:
            m.register_parameter(1, None)
    check(fn)


@spec("nn.Module.train-eval")
def test_train_eval_set_every_submodule_and_return_self(check):
    def fn(T, d):
        m = _net(T)
        fresh = [x.training for x in m.modules()]
        e = m.eval() is m
        after_eval = [x.training for x in m.modules()]
        t = m.train() is m
        return fresh, e, after_eval, t, [x.training for x in m.modules()]
    check(fn)


@spec("nn.Module.train-eval.mode-argument")
@given(mode=st.sampled_from([True, False, "x", 1, None]))
def test_train_mode_must_be_bool(check, mode):
    def fn(T, d):
        m = _net(T)
        return [x.training for x in m.train(mode).modules()]
    check(fn)


@spec("nn.Module.register-buffer")
def test_buffers_named_and_in_state_dict(check):
    def fn(T, d):
        m = _net(T)
        return (_names(m.named_buffers()), list(m.buffers()), list(m.state_dict()),
                m.running)
    check(fn)


@spec("nn.Module.register-buffer.options")
@given(case=st.sampled_from(["nonpersistent", "none", "not-tensor", "dot", "exists"]))
def test_register_buffer_options_and_errors(check, case):
    def fn(T, d):
        m = T.nn.Module()
        m.x = 1
        if case == "nonpersistent":
            m.register_buffer("b", T.ones(2), persistent=False)
        elif case == "none":
            m.register_buffer("b", None)
            return m.b, list(m.buffers()), list(m.state_dict())
        elif case == "not-tensor":
            m.register_buffer("b", [1.0])
        elif case == "dot":
            m.register_buffer("a.b", T.ones(1))
        else:
            m.register_buffer("x", T.ones(1))
        return _names(m.named_buffers()), list(m.state_dict())
    check(fn)


@spec("nn.Module.register-buffers-spelling")
def test_register_buffers_does_not_exist(check):
    check(lambda T, d: T.nn.Module().register_buffers)


@spec("nn.Parameter.plain-tensor-not-registered")
def test_plain_tensor_attribute_is_not_registered(check):
    def fn(T, d):
        m = _net(T)
        names = [*_names(m.named_parameters()), *_names(m.named_buffers()), *m.state_dict()]
        m.double()
        return "cache" in names, m.cache.dtype, "cache" in dir(m), m.__dict__["cache"]
    check(fn)


@spec("nn.Module.named-children")
def test_named_children_direct_only_and_deduplicated(check):
    def fn(T, d):
        m = _net(T)
        m.again = m.fc
        return _names(m.named_children()), [type(c).__name__ for c in m.children()]
    check(fn)


@spec("nn.Module.named-modules")
def test_named_modules_depth_first_preorder(check):
    def fn(T, d):
        nn = T.nn
        s = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Dropout()),
                          nn.Linear(2, 2))
        s.add_module("dup", s[0])
        return (_names(s.named_modules()), _names(s.named_modules(prefix="p")),
                _names(s.named_modules(remove_duplicate=False)),
                [type(m).__name__ for m in s.modules()])
    check(fn)


@spec("nn.Module.apply")
def test_apply_visits_children_first_and_returns_self(check):
    def fn(T, d):
        nn = T.nn
        seen = []
        s = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Dropout()),
                          nn.Linear(2, 2))
        r = s.apply(lambda m: seen.append(type(m).__name__))
        return r is s, seen
    check(fn)


@spec("nn.Module.cpu")
def test_cpu_keeps_parameter_identity_and_values(check):
    def fn(T, d):
        m = _net(T)
        before = list(m.parameters())
        r = m.cpu()
        return r is m, all(a is b for a, b in zip(before, m.parameters())), before
    check(fn)


@spec("nn.Module.to-dtype")
def test_to_dtype_casts_floating_in_place(check):
    def fn(T, d):
        m = _net(T)
        m.register_buffer("count", T.tensor(3))
        before = list(m.parameters())
        m.fc.weight.grad = T.ones(2, 3)
        r = m.to(T.float64)
        return (r is m, all(a is b for a, b in zip(before, m.parameters())),
                [(p.dtype, p.requires_grad, p.is_leaf) for p in m.parameters()],
                m.count.dtype, m.running.dtype, m.fc.weight.grad.dtype)
    check(fn)


@spec("nn.Module.to.errors-and-forms")
@given(form=st.sampled_from(["device", "device-dtype", "tensor", "int-dtype", "kw"]))
def test_to_forms_and_integer_dtype_error(check, form):
    def fn(T, d):
        m = _net(T)
        if form == "device":
            m.to("cpu")
        elif form == "device-dtype":
            m.to("cpu", T.float64)
        elif form == "tensor":
            m.to(T.ones(1, dtype=T.float64))
        elif form == "kw":
            m.to(dtype=T.float64)
        else:
            m.to(T.int64)
        return [p.dtype for p in m.parameters()], [b.dtype for b in m.buffers()]
    check(fn)


@spec("nn.Module.half-float-double")
@given(cast=st.sampled_from(["half", "float", "double", "bfloat16"]))
def test_half_float_double_cast_floating_only(check, cast):
    def fn(T, d):
        m = _net(T)
        m.register_buffer("count", T.tensor(3))
        r = getattr(m, cast)()
        return r is m, [p.dtype for p in m.parameters()], [b.dtype for b in m.buffers()]
    check(fn)


@spec("nn.Module.container")
@given(case=st.sampled_from(["ok", "not-module", "dot", "exists"]))
def test_add_module_registers_and_checks(check, case):
    def fn(T, d):
        m = T.nn.Module()
        m.x = 1
        m.add_module("a", T.nn.ReLU())
        m.b = T.nn.Tanh()
        if case == "not-module":
            m.add_module("c", 3)
        elif case == "dot":
            m.add_module("c.d", T.nn.ReLU())
        elif case == "exists":
            m.add_module("x", T.nn.ReLU())
        return [type(c).__name__ for c in m.children()]
    check(fn)


@spec("nn.Module.internal-dicts")
def test_internal_dicts_exist(check):
    def fn(T, d):
        m = _net(T)
        return (m.training, list(m._parameters), list(m._buffers), list(m._modules),
                [type(getattr(m, k)).__name__ for k in (
                    "_forward_pre_hooks", "_forward_hooks", "_backward_hooks",
                    "_state_dict_hooks", "_load_state_dict_post_hooks")])
    check(fn)


@spec("nn.Module._parameters")
def test_underscore_parameters_holds_direct_parameters_only(check):
    def fn(T, d):
        T.manual_seed(0)
        lin = T.nn.Linear(2, 3, bias=False)
        seq = T.nn.Sequential(lin)
        return list(lin._parameters.items()), dict(seq._parameters)
    check(fn)


@spec("nn.Module._modules")
def test_underscore_modules_and_delattr(check):
    def fn(T, d):
        m = _net(T)
        keys = list(m._modules)
        del m.block
        return keys, list(m._modules), hasattr(m, "block")
    check(fn)


@spec("nn.Module.repr")
def test_repr_nested_with_extra_repr(check):
    def fn(T, d):
        nn = T.nn

        class WithExtra(nn.Module):
            def extra_repr(self):
                return "k=1\nsecond line"
        m = _net(T)
        m.extra = WithExtra()
        m.empty = nn.Module()
        return repr(m), repr(WithExtra()), repr(nn.Linear(2, 3, bias=False))
    check(fn)


@spec("nn.Module.hooks")
@given(x=_x(2, 3))
def test_forward_hooks_run_and_handles_remove(check, x):
    def fn(T, d, x):
        m = _net(T)
        log = []
        h1 = m.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
        h2 = m.register_forward_hook(lambda mod, args, out: out + 1)
        h3 = m.register_forward_pre_hook(lambda mod, args, kwargs: log.append(sorted(kwargs)),
                                         with_kwargs=True)
        h4 = m.register_forward_hook(lambda mod, args, kwargs, out: log.append("kw-post"),
                                     with_kwargs=True, prepend=True)
        hooked = m(x)
        sizes = [len(m._forward_pre_hooks), len(m._forward_hooks)]
        for h in (h1, h2, h3, h4):
            h.remove()
        return hooked, m(x), sizes, len(m._forward_pre_hooks), log
    check(fn, x)


@spec("nn.Module.call-runs-hooks")
@given(x=_x(2, 3))
def test_call_runs_hooks_in_order_and_forward_runs_none(check, x):
    def fn(T, d, x):
        m = _net(T)
        log = []
        m.register_forward_pre_hook(lambda mod, a: log.append("pre1"))
        m.register_forward_pre_hook(lambda mod, a: log.append("pre2"))
        m.register_forward_hook(lambda mod, a, o: log.append("post1"))
        m.register_forward_hook(lambda mod, a, o: log.append("post2"))
        called = m(x)
        log.append("|")
        direct = m.forward(x)
        return called, direct, log
    check(fn, x)


@spec("nn.Module.call-not-forward")
@given(x=_x(2, 3))
def test_hook_changes_call_but_not_forward(check, x):
    def fn(T, d, x):
        m = _net(T)
        h = m.register_forward_hook(lambda mod, a, o: o * 0)
        before = m(x), m.forward(x)
        h.remove()
        return before, m(x)
    check(fn, x)


@spec("nn.Module.hooks.backward")
@given(x=_x(2, 3, requires_grad=True),
       replace=st.booleans())
def test_full_backward_hook_sees_and_replaces_gradients(check, x, replace):
    def fn(T, d, x):
        m = _net(T)
        seen = []

        def hook(mod, grad_input, grad_output):
            seen.append((grad_input, grad_output))
            if replace:
                return tuple(g * 3 for g in grad_input)
        m.register_full_backward_hook(hook)
        out = m(x)
        (gx,) = T.autograd.grad(out.sum(), x)
        return out, gx, seen
    check(fn, x)


@spec("nn.Module.state-dict")
def test_state_dict_is_ordered_detached_with_prefixes(check):
    def fn(T, d):
        m = _net(T)
        sd = m.state_dict()
        kv = m.state_dict(prefix="net.", keep_vars=True)
        return (type(sd).__name__, list(sd), [v.requires_grad for v in sd.values()],
                list(kv), [v.requires_grad for v in kv.values()],
                sd["fc.weight"].data_ptr() == m.fc.weight.data_ptr())
    check(fn)


@spec("nn.Module.load-state-dict")
@given(case=st.sampled_from(["ok", "missing", "unexpected", "shape", "non-strict",
                             "assign", "not-mapping"]))
def test_load_state_dict_keys_and_errors(check, case):
    def fn(T, d):
        m = _net(T)
        T.manual_seed(5)
        src = _net(T)
        for p in src.parameters():
            p.data.mul_(2)
        sd = src.state_dict()
        strict = True
        if case == "missing":
            del sd["running"]
        elif case == "unexpected":
            sd["extra.weight"] = T.ones(1)
        elif case == "shape":
            sd["fc.weight"] = T.ones(3, 3)
        elif case == "non-strict":
            del sd["fc.bias"]
            sd["zz"] = T.ones(1)
            strict = False
        elif case == "not-mapping":
            sd = list(sd.items())
        w = m.fc.weight
        result = m.load_state_dict(sd, strict=strict, assign=case == "assign")
        return (tuple(result), repr(result), m.fc.weight is w, list(m.parameters()),
                [type(p).__name__ for p in m.parameters()], m.fc.weight.requires_grad)
    check(fn)


@spec("nn.Module.get-submodule")
@given(target=st.sampled_from(["", "fc", "block.1", "block.9", "scale", "nope",
                               "block.1.weight", "fc.weight", "running", "fc.nope"]))
def test_get_submodule_parameter_buffer(check, target):
    def fn(T, d):
        m = _net(T)
        out = []
        for getter in (m.get_submodule, m.get_parameter, m.get_buffer):
            try:
                r = getter(target)
                out.append(type(r).__name__)
            except AttributeError as e:
                out.append(("AttributeError", str(e)))
        return out
    check(fn)


@spec("nn.Module.zero-grad")
@given(set_to_none=st.booleans())
def test_zero_grad_none_or_zeros(check, set_to_none):
    def fn(T, d):
        m = _net(T)
        m(T.ones(1, 3)).sum().backward()
        m.zero_grad(set_to_none=set_to_none)
        return [p.grad for p in m.parameters()]
    check(fn)


@spec("nn.Module.requires-grad")
def test_requires_grad_switches_all_parameters(check):
    def fn(T, d):
        m = _net(T)
        r = m.requires_grad_(False)
        return r is m, [p.requires_grad for p in m.parameters()], m(T.ones(1, 3))
    check(fn, autograd=True)


@spec("nn.Module.dir")
def test_dir_lists_registered_names(check):
    def fn(T, d):
        m = _net(T)
        names = dir(m)
        return [k in names for k in ("fc", "block", "scale", "running", "tmp", "cache",
                                     "forward", "0")]
    check(fn)


@spec("nn.Buffer")
def test_buffer_assignment_registers_buffer(check):
    def fn(T, d):
        m = T.nn.Module()
        m.a = T.nn.Buffer(T.ones(2))
        m.b = T.nn.Buffer(T.zeros(1), persistent=False)
        m.a = T.zeros(2)            # a tensor assigned to a buffer name replaces the buffer
        return _names(m.named_buffers()), list(m.state_dict()), m.a, \
            isinstance(m.a, T.nn.Buffer), isinstance(T.nn.Buffer(T.ones(1)), T.Tensor)
    check(fn)
