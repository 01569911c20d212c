"""Seeding: global seeding calls and what they seed, generator constructors and their seed parameter,
draws from hidden global generators, and values that differ on every run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeedParameter:
    """Where a call takes its seed: the keyword, and the 0-based position (None: keyword only)."""

    keyword: str
    position: int | None


@dataclass(frozen=True)
class GlobalSeed:
    """A global seeding call: the generators it seeds (``"tf"``, ``"numpy"``, ``"python"``) and its parameter."""

    seeds: frozenset[str]
    parameter: SeedParameter


_SEED = SeedParameter("seed", 0)
_TF = frozenset({"tf"})

# Global seeding calls, each listed once with what it seeds and where its seed goes.
GLOBAL_SEEDS: dict[str, GlobalSeed] = {
    "tensorflow.random.set_seed": GlobalSeed(_TF, _SEED),
    "tensorflow.set_random_seed": GlobalSeed(_TF, _SEED),
    "tensorflow.compat.v1.set_random_seed": GlobalSeed(_TF, _SEED),
    "tensorflow.compat.v1.random.set_random_seed": GlobalSeed(_TF, _SEED),
    "keras.utils.set_random_seed": GlobalSeed(frozenset({"tf", "numpy", "python"}), _SEED),
    "numpy.random.seed": GlobalSeed(frozenset({"numpy"}), _SEED),
    "random.seed": GlobalSeed(frozenset({"python"}), SeedParameter("a", 0)),
}
# Without an argument these two reseed from the operating system's entropy.
RESEED_FROM_ENTROPY = frozenset({"numpy.random.seed", "random.seed"})

# Generator constructors and the parameter that seeds them.
GENERATORS: dict[str, SeedParameter] = {
    "numpy.random.default_rng": _SEED,
    "numpy.random.RandomState": _SEED,
    "numpy.random.mtrand.RandomState": _SEED,
    "numpy.random.SeedSequence": SeedParameter("entropy", 0),
    "numpy.random.bit_generator.SeedSequence": SeedParameter("entropy", 0),
    **{f"numpy.random.{name}": _SEED for name in ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")},
    "random.Random": SeedParameter("x", 0),
    "keras.random.SeedGenerator": _SEED,
    "keras.random.seed_generator.SeedGenerator": _SEED,
}
# Constructors that never take a seed: always nondeterministic.
NON_DETERMINISTIC_GENERATORS = frozenset({
    "tensorflow.random.Generator.from_non_deterministic_state",
    "tensorflow.random.experimental.Generator.from_non_deterministic_state",
})

# Modules whose functions draw from a hidden global generator.
RANDOM_MODULES = frozenset({"random", "numpy.random"})
# Draws from NumPy's legacy global RandomState.
NUMPY_GLOBAL_DRAWS = frozenset({
    "rand", "randn", "randint", "random", "random_sample", "random_integers", "ranf", "sample", "choice",
    "shuffle", "permutation", "bytes", "normal", "uniform", "standard_normal", "standard_exponential",
    "standard_gamma", "standard_cauchy", "standard_t", "binomial", "negative_binomial", "beta", "exponential",
    "gamma", "poisson", "multinomial", "multivariate_normal", "dirichlet", "lognormal", "laplace", "logistic",
    "geometric", "gumbel", "hypergeometric", "logseries", "chisquare", "noncentral_chisquare", "f",
    "noncentral_f", "pareto", "power", "rayleigh", "triangular", "vonmises", "wald", "weibull", "zipf",
})
# Draws from Python's hidden global ``random.Random`` instance.
PYTHON_GLOBAL_DRAWS = frozenset({
    "random", "randint", "randrange", "choice", "choices", "sample", "shuffle", "uniform", "triangular",
    "gauss", "normalvariate", "lognormvariate", "expovariate", "vonmisesvariate", "gammavariate",
    "betavariate", "paretovariate", "weibullvariate", "binomialvariate", "getrandbits", "randbytes",
})
# TensorFlow random ops (``tensorflow.random.<name>``) that take their seed from the global seed unless given ``seed=``.
TF_RANDOM_OPS = frozenset({
    "normal", "uniform", "truncated_normal", "shuffle", "categorical", "gamma", "poisson",
})
# Calls that pick or reorder items at random (the order of what they are given decides what they pick).
RANDOM_PICKERS = frozenset({
    "random.sample", "random.shuffle", "random.choice", "random.choices", "numpy.random.choice",
    "numpy.random.shuffle", "numpy.random.permutation", "sklearn.utils.shuffle", "sklearn.utils.resample",
})
# The same as methods of a generator object (``rng.choice(items)``).
RNG_METHODS = frozenset({"choice", "choices", "shuffle", "permutation", "permuted", "sample"})

# Values that differ on every run: exact callees and callee prefixes.
CLOCKS_AND_ENTROPY = frozenset({
    "time.time", "time.time_ns", "time.perf_counter", "time.perf_counter_ns", "time.monotonic",
    "time.monotonic_ns", "time.process_time", "time.process_time_ns",
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today",
    "os.urandom", "os.getrandom", "os.getpid",
})
ENTROPY_MODULES = ("uuid.", "secrets.", "random.SystemRandom")
