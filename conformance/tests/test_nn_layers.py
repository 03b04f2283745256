"""nn layers: Parameter, containers, Linear/Bilinear/Flatten, activation modules, Dropout,
Embedding and the distance modules, against torch (same seed or the same weights)."""

from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import tensors


def _x(*shape, requires_grad=False, lo=-10, hi=10):
    return tensors(dtype="float32", shape=shape, layouts=("contiguous",), special=False,
                   min_value=lo, max_value=hi, requires_grad=requires_grad)


# -- Parameter -----------------------------------------------------------------------------


@spec("nn.Parameter.signature")
def test_parameter_signature(check):
    def fn(T, d):
        p, q, e = T.nn.Parameter(T.ones(2)), T.nn.Parameter(T.ones(2), False), T.nn.Parameter()
        return (T.nn.parameter.Parameter is T.nn.Parameter, p.requires_grad, q.requires_grad,
                e.shape, e.dtype, e.requires_grad)
    check(fn)


@spec("nn.Parameter.is-a-tensor")
def test_parameter_is_a_tensor_subclass(check):
    def fn(T, d):
        import copy
        p = T.nn.Parameter(T.ones(2))
        return (isinstance(p, T.Tensor), type(p) is T.nn.Parameter, type(p * 2) is T.Tensor,
                type(p.detach()) is T.Tensor, type(p.clone()) is T.Tensor,
                type(p.data) is T.Tensor, type(copy.deepcopy(p)) is T.nn.Parameter, p * 2)
    check(fn)


@spec("nn.Parameter.auto-register")
def test_parameter_assignment_registers(check):
    def fn(T, d):
        m = T.nn.Module()
        a, b = T.nn.Parameter(T.ones(1)), T.nn.Parameter(T.zeros(2))
        m.a, m.b = a, b
        first = [p is a for p in m.parameters()]
        m.a = T.nn.Parameter(T.full((3,), 2.0))
        return first, [n for n, _ in m.named_parameters()], list(m.state_dict().values())
    check(fn)


@spec("nn.Parameter.trainable")
@given(x=_x(2, 3))
def test_parameter_is_a_trainable_leaf(check, x):
    def fn(T, d, x):
        p = T.nn.Parameter(x)
        (p * p).sum().backward()
        return p.is_leaf, p.grad_fn is None, p.requires_grad, p.dtype, p.grad
    check(fn, x)


@spec("nn.Parameter.shares-memory")
def test_parameter_shares_storage(check):
    def fn(T, d):
        t = T.ones(3)
        p = T.nn.Parameter(t)
        with T.no_grad():
            t.mul_(2)
        src = T.ones(2, requires_grad=True)
        q = T.nn.Parameter(src * 1)
        return p.data_ptr() == t.data_ptr(), p, q.is_leaf, q.grad_fn is None
    check(fn)


@spec("nn.Parameter.repr")
@given(dtype=st.sampled_from(["float32", "float64", "int64"]), rg=st.booleans())
def test_parameter_repr(check, dtype, rg):
    def fn(T, d):
        return repr(T.nn.Parameter(T.ones(2, dtype=getattr(T, dtype)), requires_grad=rg))
    check(fn)


# -- containers --------------------------------------------------------------------------------


def _seq(T):
    T.manual_seed(0)
    nn = T.nn
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


@spec("nn.Sequential")
@given(x=_x(5, 3, requires_grad=True))
def test_sequential_chains_modules(check, x):
    def fn(T, d, x):
        s = _seq(T)
        y = s(x)
        y.sum().backward(retain_graph=True)
        return (y, s[2](s[1](s[0](x))), [n for n, _ in s.named_children()],
                T.nn.Sequential()(x) is x, [p.grad for p in s.parameters()])
    check(fn, x, grad=True)


@spec("nn.Sequential.indexing")
@given(i=st.integers(-4, 3), a=st.integers(-3, 3), b=st.integers(-3, 3))
def test_sequential_index_slice_len_append(check, i, a, b):
    def fn(T, d):
        s = _seq(T)
        sliced = s[a:b]
        got = type(s[i]).__name__ if -3 <= i < 3 else None
        out = [got, type(sliced).__name__, [n for n, _ in sliced.named_children()], len(s)]
        r = s.append(T.nn.Tanh())
        out += [r is s, len(s), [n for n, _ in s.named_children()]]
        s.insert(1, T.nn.Sigmoid())
        del s[0]
        out += [repr(s)]
        s[i]
        return out
    check(fn)


@spec("nn.Sequential.ordereddict")
@given(bad=st.booleans())
def test_sequential_from_ordereddict(check, bad):
    def fn(T, d):
        from collections import OrderedDict
        if bad:
            return T.nn.Sequential(3)
        T.manual_seed(0)
        s = T.nn.Sequential(OrderedDict([("fc", T.nn.Linear(2, 3)), ("act", T.nn.ReLU())]))
        return [type(s.fc).__name__, list(s.state_dict()), repr(s)]
    check(fn)


@spec("nn.containers")
def test_module_list_dict_and_parameter_containers(check):
    def fn(T, d):
        nn = T.nn
        T.manual_seed(0)
        ml = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU()])
        ml.append(nn.Tanh())
        ml.extend([nn.Sigmoid()])
        ml.insert(0, nn.Identity())
        md = nn.ModuleDict({"a": nn.ReLU(), "b": nn.Linear(1, 1)})
        md["c"] = nn.Tanh()
        pl = nn.ParameterList([nn.Parameter(T.ones(2, 3)), T.zeros(2)])
        pd = nn.ParameterDict({"w": nn.Parameter(T.ones(2)), "v": T.zeros(1)})
        holder = nn.Module()
        holder.ml, holder.md, holder.pl, holder.pd = ml, md, pl, pd
        return (repr(ml), len(ml), type(ml[-1]).__name__, repr(ml[1:3]), repr(md),
                list(md.keys()), "a" in md, repr(pl), repr(pd), len(pl), list(pd.keys()),
                [type(p).__name__ for p in pl], list(holder.state_dict()),
                type(md.pop("a")).__name__, list(md))
    check(fn)


@spec("nn.containers")
@given(case=st.sampled_from(["ml-index", "ml-call", "pl-call", "md-bad-update"]))
def test_container_errors(check, case):
    def fn(T, d):
        nn = T.nn
        if case == "ml-index":
            nn.ModuleList([nn.ReLU()])[3]
        elif case == "ml-call":
            nn.ModuleList([nn.ReLU()])(T.ones(1))
        elif case == "pl-call":
            nn.ParameterList([nn.Parameter(T.ones(1))])(T.ones(1))
        else:
            nn.ModuleDict([("a", nn.ReLU(), 1)])
    check(fn)


# -- Linear, Bilinear, Identity, Flatten --------------------------------------------------------


@spec("nn.Linear")
@given(lead=st.sampled_from([(), (4,), (2, 3)]), bias=st.booleans(), data=st.data())
def test_linear_values_and_gradients(check, lead, bias, data):
    x = data.draw(_x(*lead, 3, requires_grad=True))

    def fn(T, d, x):
        T.manual_seed(0)
        lin = T.nn.Linear(3, 2, bias=bias)
        y = lin(x)
        y.sum().backward(retain_graph=True)
        return y, lin.weight.grad, None if lin.bias is None else lin.bias.grad
    check(fn, x, grad=True, autograd=True)


@spec("nn.Linear.init")
@given(seed=st.integers(0, 2**31), n_in=st.integers(1, 6), n_out=st.integers(1, 6),
       bias=st.booleans())
def test_linear_init_bit_identical(check, seed, n_in, n_out, bias):
    def fn(T, d):
        T.manual_seed(seed)
        lin = T.nn.Linear(n_in, n_out, bias=bias)
        return lin.weight, lin.bias, [n for n, _ in lin.named_parameters()], repr(lin)
    check(fn, exact=True)


@spec("nn.Linear.errors")
@given(case=st.sampled_from(["features", "dtype"]))
def test_linear_errors(check, case):
    def fn(T, d):
        lin = T.nn.Linear(3, 2)
        x = T.ones(4, 5) if case == "features" else T.ones(4, 3, dtype=T.float64)
        return lin(x)
    check(fn)


@spec("nn.Bilinear")
@given(x1=_x(4, 2, requires_grad=True), x2=_x(4, 3, requires_grad=True), bias=st.booleans())
def test_bilinear_values_and_gradients(check, x1, x2, bias):
    def fn(T, d, x1, x2):
        T.manual_seed(0)
        m = T.nn.Bilinear(2, 3, 5, bias=bias)
        y = m(x1, x2)
        y.sum().backward(retain_graph=True)
        return y, m.weight.grad, repr(m)
    check(fn, x1, x2, grad=True)


@spec("nn.Flatten")
@given(x=_x(2, 3, 2, 2), start=st.integers(-4, 3), end=st.integers(-4, 3))
def test_flatten_unflatten_identity(check, x, start, end):
    def fn(T, d, x):
        nn = T.nn
        flat = nn.Flatten(start, end)
        out = [repr(flat), repr(nn.Unflatten(1, (3, 1))), nn.Identity(54, k=1)(x) is x]
        out.append(nn.Unflatten(1, (1, 3))(x))
        out.append(flat(x))
        return out
    check(fn, x)


# -- activation modules -------------------------------------------------------------------------

ACTIVATIONS = [
    ("ReLU", ()), ("ReLU6", ()), ("ELU", (0.7,)), ("SELU", ()), ("CELU", (1.3,)),
    ("LeakyReLU", (0.2,)), ("GELU", ()), ("GELU", ("tanh",)), ("SiLU", ()), ("Mish", ()),
    ("Softplus", (2.0, 3.0)), ("Softsign", ()), ("Tanh", ()), ("Sigmoid", ()),
    ("Hardtanh", (-2.0, 1.5)), ("Hardsigmoid", ()), ("Hardswish", ()), ("LogSigmoid", ()),
    ("Tanhshrink", ()), ("Softshrink", (0.7,)), ("Hardshrink", (0.3,)),
    ("Threshold", (0.1, 20.0)), ("Softmax", (1,)), ("LogSoftmax", (0,)), ("Softmin", (-1,)),
    ("GLU", (0,)), ("PReLU", ()), ("Softmax2d", ()),
]


@spec("nn.activations")
@given(which=st.sampled_from(ACTIVATIONS), data=st.data())
def test_activation_modules_values_gradients_repr(check, which, data):
    name, args = which
    shape = (2, 4, 3) if name != "Softmax2d" else (2, 3, 2, 2)
    x = data.draw(tensors(dtype=st.sampled_from(["float32", "float64"]), shape=shape,
                          layouts=("contiguous", "transposed"), special=False, min_value=-8,
                          max_value=8, requires_grad=True))

    def fn(T, d, x):
        m = getattr(T.nn, name)(*args)
        return repr(m), m(x), [p.shape for p in m.parameters()]
    check(fn, x, grad=True, autograd=True)


@spec("nn.activations")
@given(name=st.sampled_from(["ReLU", "ReLU6", "ELU", "LeakyReLU", "Hardtanh", "SiLU",
                             "Hardswish", "Hardsigmoid", "Mish", "SELU", "CELU"]),
       x=_x(3, 4))
def test_activation_modules_inplace(check, name, x):
    def fn(T, d, x):
        m = getattr(T.nn, name)(inplace=True)
        y = m(x)
        return repr(m), y is x, x
    check(fn, x)


@spec("nn.activations")
@given(x=_x(2, 3, 4, requires_grad=True))
def test_prelu_per_channel_weight_gradient(check, x):
    def fn(T, d, x):
        m = T.nn.PReLU(3, init=0.1)
        y = m(x)
        y.sum().backward(retain_graph=True)
        return y, m.weight.grad, repr(m)
    check(fn, x, grad=True)


# -- Dropout --------------------------------------------------------------------------------------


@spec("nn.Dropout")
@given(seed=st.integers(0, 2**31), p=st.sampled_from([0.0, 0.2, 0.5, 0.9, 1.0]),
       x=_x(4, 5, requires_grad=True))
def test_dropout_train_mask_matches_torch_and_eval_is_identity(check, seed, p, x):
    def fn(T, d, x):
        m = T.nn.Dropout(p)
        T.manual_seed(seed)
        train = m(x)
        m.eval()
        return train, m(x), repr(m)
    check(fn, x, grad=True, exact=True)


@spec("nn.Dropout")
@given(p=st.sampled_from([-0.1, 1.5]))
def test_dropout_bad_probability(check, p):
    check(lambda T, d: T.nn.Dropout(p))


@spec("nn.Dropout.feature")
@given(seed=st.integers(0, 2**31), which=st.sampled_from(
    [("Dropout1d", (2, 3, 4)), ("Dropout1d", (3, 4)), ("Dropout2d", (2, 3, 2, 2)),
     ("Dropout3d", (2, 3, 1, 2, 2)), ("Dropout3d", (3, 1, 2, 2)), ("AlphaDropout", (3, 5))]),
    data=st.data())
def test_feature_dropout_masks(check, seed, which, data):
    name, shape = which
    x = data.draw(_x(*shape, requires_grad=True))

    def fn(T, d, x):
        m = getattr(T.nn, name)(0.4)
        T.manual_seed(seed)
        y = m(x)
        return y, m.eval()(x)
    check(fn, x, grad=True)


@spec("nn.modules-wrap-functional")
@given(seed=st.integers(0, 2**31), x=_x(3, 4))
def test_modules_equal_their_functional_forms(check, seed, x):
    def fn(T, d, x):
        nn, F = T.nn, T.nn.functional
        p = T.sigmoid(x)
        T.manual_seed(seed)
        drop_m = nn.Dropout(0.3)(x)
        T.manual_seed(seed)
        drop_f = F.dropout(x, 0.3, training=True)
        return (nn.ReLU()(x), F.relu(x), nn.BCELoss()(p, p.detach().round()),
                F.binary_cross_entropy(p, p.detach().round()), drop_m, drop_f,
                nn.Dropout(0.3).eval()(x), F.dropout(x, 0.3, training=False))
    check(fn, x)


@spec("nn.module-name-typos")
@given(name=st.sampled_from(["ReLu", "drop"]))
def test_misspelt_module_names_do_not_exist(check, name):
    check(lambda T, d: getattr(T.nn, name))


# -- Embedding -------------------------------------------------------------------------------------


@spec("nn.Embedding")
@given(seed=st.integers(0, 2**31), padding_idx=st.sampled_from([None, 0, 3, -1]),
       idx=st.lists(st.integers(0, 4), min_size=1, max_size=6))
def test_embedding_init_lookup_and_gradient(check, seed, padding_idx, idx):
    def fn(T, d):
        T.manual_seed(seed)
        e = T.nn.Embedding(5, 3, padding_idx=padding_idx)
        i = T.tensor([idx, idx[::-1]])
        y = e(i)
        (y * T.arange(3.0)).sum().backward()
        return repr(e), e.weight, y, e.weight.grad
    check(fn, rtol=0, atol=0)


@spec("nn.Embedding")
@given(case=st.sampled_from(["from-pretrained", "unfrozen", "max-norm", "bad-index",
                             "float-index", "bad-padding", "freq"]))
def test_embedding_options_and_errors(check, case):
    def fn(T, d):
        w = T.arange(12.0).reshape(4, 3) / 4
        if case == "from-pretrained":
            e = T.nn.Embedding.from_pretrained(w)
            return e(T.tensor([1, 3])), e.weight.requires_grad, repr(e)
        if case == "unfrozen":
            e = T.nn.Embedding.from_pretrained(w, freeze=False, padding_idx=1)
            e(T.tensor([1, 2, 2])).sum().backward()
            return e.weight.grad
        if case == "max-norm":
            e = T.nn.Embedding.from_pretrained(w.clone(), max_norm=1.0)
            return e(T.tensor([0, 3, 3])), e.weight
        if case == "freq":
            e = T.nn.Embedding.from_pretrained(w, freeze=False, scale_grad_by_freq=True)
            e(T.tensor([1, 2, 2])).sum().backward()
            return e.weight.grad
        e = T.nn.Embedding(4, 3)
        if case == "bad-index":
            return e(T.tensor([4]))
        if case == "float-index":
            return e(T.tensor([1.0]))
        return T.nn.Embedding(4, 3, padding_idx=9)
    check(fn)


# -- distance modules -----------------------------------------------------------------------------


@spec("nn.functional.distance")
@given(x1=_x(3, 4, requires_grad=True, lo=-3, hi=3), x2=_x(3, 4, requires_grad=True, lo=-3,
                                                          hi=3),
       p=st.sampled_from([1.0, 2.0, 3.0]), keepdim=st.booleans())
def test_distance_modules(check, x1, x2, p, keepdim):
    def fn(T, d, x1, x2):
        return (T.nn.CosineSimilarity(dim=1)(x1, x2), T.nn.PairwiseDistance(p=p,
                keepdim=keepdim)(x1, x2), repr(T.nn.CosineSimilarity()))
    check(fn, x1, x2, grad=True)


