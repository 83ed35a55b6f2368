"""Every name issue 3 lists exists in hlox's public modules, and each is also JAX's name.

Users switch by changing ``jax`` to ``hlox`` in their imports, so a missing or misspelled
name is a bug even before any numerics. Behaviour is tested in the per-area test files.
"""

import importlib
import inspect

import jax
import jax.numpy as jnp
import pytest

import hlox

LAX = """cond switch while_loop fori_loop scan map select dot_general conv_general_dilated
reduce_window reduce sort dynamic_slice dynamic_update_slice dynamic_slice_in_dim
broadcast_in_dim concatenate pad iota top_k erf erf_inv lgamma digamma logistic rsqrt
integer_pow bitcast_convert_type shift_left shift_right_logical shift_right_arithmetic
population_count stop_gradient add max min""".split()

NUMPY = """array asarray zeros ones full zeros_like ones_like full_like arange linspace eye tri
tril triu add subtract multiply divide true_divide floor_divide power negative abs exp log
sqrt sin cos tan tanh arcsin arccos arctan arctan2 sinh cosh maximum minimum sign floor ceil
round clip where equal not_equal less less_equal greater greater_equal logical_and logical_or
logical_not isnan isinf isfinite sum mean var std prod max min argmax argmin all any cumsum
cumprod reshape transpose swapaxes moveaxis expand_dims squeeze concatenate stack split tile
repeat flip roll pad broadcast_to dot matmul einsum tensordot outer inner sort argsort take
take_along_axis bool_ int8 int16 int32 int64 uint8 uint32 float16 bfloat16 float32
float64""".split()

NN = "one_hot relu gelu softmax log_softmax sigmoid silu logsumexp".split()
RANDOM = """key PRNGKey split fold_in normal uniform randint bernoulli categorical permutation
truncated_normal""".split()
TREE_UTIL = "tree_map tree_flatten tree_unflatten tree_leaves register_pytree_node".split()
TOP = """jit grad value_and_grad jvp vjp linearize jacfwd jacrev hessian vmap custom_jvp
custom_vjp checkpoint remat make_jaxpr""".split()

CASES = [("hlox.lax", "jax.lax", LAX), ("hlox.numpy", "jax.numpy", NUMPY),
         ("hlox.nn", "jax.nn", NN), ("hlox.random", "jax.random", RANDOM),
         ("hlox.tree_util", "jax.tree_util", TREE_UTIL), ("hlox", "jax", TOP)]


@pytest.mark.parametrize("module,jax_module,names", CASES, ids=[c[0] for c in CASES])
def test_issue3_names_exist(module, jax_module, names):
    ours, theirs = importlib.import_module(module), importlib.import_module(jax_module)
    assert [n for n in names if not hasattr(theirs, n)] == []  # the list itself is JAX's
    assert [n for n in names if not hasattr(ours, n)] == []


@pytest.mark.parametrize("module", ["hlox.lax", "hlox.numpy", "hlox.nn", "hlox.random",
                                    "hlox.tree_util", "hlox.scipy.special"])
def test_all_is_the_public_api(module):
    """``__all__`` names exactly the public attributes: no helper leaks through star imports."""
    mod = importlib.import_module(module)
    public = {n for n in dir(mod) if not n.startswith("_")}
    assert sorted(set(mod.__all__) - public) == []
    assert sorted(public - set(mod.__all__)) == []


def test_lax_imports_like_jax():
    """``import hlox.lax`` and ``from hlox.lax import ...`` work as they do for jax.lax."""
    import hlox.lax
    from hlox.lax import cond, map as lax_map  # noqa: F401
    assert hlox.lax.map is lax_map and lax_map is not map
    assert hlox.lax.cond is cond


def test_numpy_public_names_are_jax_names():
    import hlox.numpy as hnp
    assert [n for n in hnp.__all__ if not hasattr(jnp, n)] == []
    assert [n for n in hlox.lax.__all__ if not hasattr(jax.lax, n)] == [
        "reduce_window_max", "reduce_window_min", "reduce_window_sum"]  # jax's internal names


# ---------------------------------------------------------------------------
# Issue 14: every name it lists (behaviour: test_numpy_api_extras.py, test_nn_api_extras.py,
# test_lax_api_extras.py, test_random_distributions.py, test_jax_interop.py; linear
# algebra and FFT: the linalg-fft branch's tests)
# ---------------------------------------------------------------------------

ISSUE14 = [
    ("hlox.numpy", "jax.numpy", """convolve isclose allclose array_equal meshgrid searchsorted
     interp diag kron median percentile quantile nanmedian nanquantile nanpercentile unique
     nan_to_num cov select vectorize correlate"""),
    ("hlox.nn", "jax.nn", "dot_product_attention initializers selu glu celu mish"),
    ("hlox.nn.initializers", "jax.nn.initializers", """zeros ones constant uniform normal
     truncated_normal variance_scaling glorot_uniform glorot_normal xavier_uniform
     xavier_normal lecun_uniform lecun_normal he_uniform he_normal kaiming_uniform
     kaiming_normal orthogonal delta_orthogonal"""),
    ("hlox.lax", "jax.lax", "associative_scan cumlogsumexp optimization_barrier reduce_precision"),
    ("hlox.random", "jax.random", """gamma loggamma beta dirichlet multivariate_normal laplace
     poisson orthogonal"""),
    ("hlox", "jax", "eval_shape ShapeDtypeStruct debug block_until_ready"),
    ("hlox.debug", "jax.debug", "print"),
    ("hlox.ops", "jax.ops", "segment_sum segment_max segment_min segment_prod"),
]

# Items 1 and 2 of issue 14, built on the branch linalg-fft: expected there.
LINALG_FFT = [
    ("hlox.numpy.linalg", "jax.numpy.linalg", """cholesky solve inv det slogdet qr eigh
     eigvalsh svd lstsq pinv matrix_power matrix_rank norm"""),
    ("hlox.scipy.linalg", "jax.scipy.linalg", """cholesky cho_factor cho_solve
     solve_triangular lu lu_factor lu_solve expm"""),
    ("hlox.lax.linalg", "jax.lax.linalg", "cholesky triangular_solve qr eigh svd lu"),
    ("hlox.numpy.fft", "jax.numpy.fft", """fft ifft rfft irfft fft2 ifft2 fftn ifftn rfftn
     irfftn fftfreq rfftfreq fftshift ifftshift"""),
    ("hlox.lax", "jax.lax", "fft"),
]


def _resolve(path: str):
    """The module or namespace at ``path`` (``hlox.nn.initializers`` is an attribute)."""
    head, *rest = path.split(".")
    obj = importlib.import_module(head)
    for i, part in enumerate(rest):
        try:
            obj = importlib.import_module(".".join([head, *rest[:i + 1]]))
        except ImportError:
            obj = getattr(obj, part, None)
            if obj is None:
                return None
    return obj


def _case_ids(cases):
    return [c[0] for c in cases]


@pytest.mark.parametrize("module,jax_module,names", ISSUE14, ids=_case_ids(ISSUE14))
def test_issue14_names_exist(module, jax_module, names):
    names = names.split()
    ours, theirs = _resolve(module), _resolve(jax_module)
    assert [n for n in names if not hasattr(theirs, n)] == []  # the list itself is JAX's
    assert [n for n in names if not hasattr(ours, n)] == []


@pytest.mark.parametrize("module,jax_module,names", LINALG_FFT, ids=_case_ids(LINALG_FFT))
def test_issue14_linalg_fft_names_exist(module, jax_module, names):
    names = names.split()
    theirs = _resolve(jax_module)
    assert [n for n in names if not hasattr(theirs, n)] == []
    ours = _resolve(module)
    assert ours is not None and [n for n in names if not hasattr(ours, n)] == []


def _params(fn):
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    return [p.name for p in sig.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


@pytest.mark.parametrize("module,jax_module,names", ISSUE14, ids=_case_ids(ISSUE14))
def test_issue14_positional_parameters_are_jax(module, jax_module, names):
    """Positional parameters in JAX's order, under JAX's names (calls written for JAX,
    by position or keyword, bind the same way)."""
    ours, theirs = _resolve(module), _resolve(jax_module)
    differ = {}
    for name in names.split():
        a, b = getattr(ours, name), getattr(theirs, name)
        if inspect.ismodule(a) or inspect.isclass(a) or not callable(a):
            continue
        pa, pb = _params(a), _params(b)
        if pa is not None and pb is not None and pa != pb[:len(pa)]:
            differ[name] = (pa, pb)
    assert differ == {}
