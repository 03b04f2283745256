"""torch.distributions.kl: closed-form KL(p || q) for registered pairs of families."""

from .categorical import Categorical
from .normal import Normal

_KL_REGISTRY = {}


def register_kl(type_p, type_q):
    """Decorator registering fn(p, q) as KL(p || q) for instances of type_p and type_q."""
    def decorator(fn):
        _KL_REGISTRY[type_p, type_q] = fn
        return fn
    return decorator


def kl_divergence(p, q):
    """KL(p || q) by the most specific registered pair; NotImplementedError otherwise."""
    for tp in type(p).__mro__:
        for tq in type(q).__mro__:
            fn = _KL_REGISTRY.get((tp, tq))
            if fn is not None:
                return fn(p, q)
    raise NotImplementedError(
        f"No KL(p || q) is implemented for p type {type(p).__name__} and q type "
        f"{type(q).__name__}")


@register_kl(Normal, Normal)
def _kl_normal_normal(p, q):
    """0.5 * (r + ((mu_p - mu_q) / s_q)**2 - 1 - log r) with r = (s_p / s_q)**2."""
    var_ratio = (p.scale / q.scale).pow(2)
    t1 = ((p.loc - q.loc) / q.scale).pow(2)
    return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p, q):
    """sum p (log p - log q): inf where q is 0 and p is not, 0-terms where p is 0."""
    import refimpl as torch

    t = p.probs * (p.logits - q.logits)
    t = torch.where((q.probs == 0).expand_as(t), float("inf"), t)
    t = torch.where((p.probs == 0).expand_as(t), 0.0, t)
    return t.sum(-1)
