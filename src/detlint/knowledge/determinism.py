"""Process-wide determinism switches: TensorFlow op determinism and threading, and ``PYTHONHASHSEED``."""

from __future__ import annotations

ENABLE_OP_DETERMINISM = "tensorflow.config.experimental.enable_op_determinism"
DETERMINISTIC_OPS_VARIABLE = "TF_DETERMINISTIC_OPS"
# Functions whose mention without a call does nothing, and whether a call needs a seed argument.
MUST_CALL: dict[str, bool] = {
    ENABLE_OP_DETERMINISM: False,
    "tensorflow.random.set_seed": True,
    "keras.utils.set_random_seed": True,
}
# Functions an assignment replaces instead of calling.
MUST_NOT_ASSIGN = frozenset({
    "tensorflow.config.threading.set_intra_op_parallelism_threads",
    "tensorflow.config.threading.set_inter_op_parallelism_threads",
    "tensorflow.random.set_seed",
    "keras.utils.set_random_seed",
    ENABLE_OP_DETERMINISM,
})

HASHSEED = "PYTHONHASHSEED"
ENVIRON = "os.environ"
# Calls that start a new interpreter, which does read the variable: setting it before re-executing
# the script (``os.execv(sys.executable, ...)``) or launching a child process works as intended.
NEW_PROCESS_PREFIXES = ("os.exec", "os.spawn", "os.posix_spawn", "subprocess.")
NEW_PROCESS_CALLS = frozenset({"os.system", "os.popen"})
SALTED_HASH = "builtins.hash"  # salted per process for str and bytes (PYTHONHASHSEED): unstable across runs
