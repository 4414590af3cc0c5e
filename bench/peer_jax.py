"""The JAX peer of bench/compare: each workload trained the way a JAX user writes it.

float64 (jax_enable_x64), on the CPU, gradients by jax.value_and_grad, SGD and Adam written
as the pure functions optax would apply (the same formulas as torch.optim, which nnrun
follows). Two forms:

- `jit`: the step compiled with jax.jit and called from a Python loop, the whole-set
  evaluations at the recorded steps compiled too (every workload);
- `fori_loop`: the whole training loop, history and final evaluation included, compiled
  as one XLA program with lax.fori_loop (full-batch workloads, w1 and w2).

Both start from the workload's weights (nnrun's initial weights) and visit the samples in
the workload's order (nnrun's). Compilation is not timed: one warm-up run compiles, the
timed runs follow. XLA's CPU backend uses its own thread pool over all the machine's cores.

Imported by bench/compare only when jax is installed (`pip install jax`).
"""
import jax

jax.config.update("jax_enable_x64", True)  # before any array exists

import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

import timing  # noqa: E402


ACTIVATIONS = {"sigmoid": jax.nn.sigmoid, "tanh": jnp.tanh, "relu": jax.nn.relu}


def version():
    return f"jax {jax.__version__} (jaxlib {jax.lib.__version__}), float64, {jax.default_backend()}"


def model(workload):
    """Pure functions of a workload: (loss(trained, fixed, x, targets), trained, fixed).

    trained: the weights, and the biases when the workload trains them; fixed: the biases
    otherwise (the tutorial's shared biases held fixed)."""
    activations = [layer.activation for layer in workload.layers]
    weights = [jnp.asarray(layer.weights) for layer in workload.layers]
    biases = [jnp.asarray(layer.bias) for layer in workload.layers]
    train_biases = workload.train_biases

    def logits(trained, fixed, x):
        ws, bs = (trained[0], trained[1]) if train_biases else (trained[0], fixed)
        out = x
        for index, (w, b) in enumerate(zip(ws, bs)):
            net = out @ w.T + b
            if index == len(ws) - 1:
                return net
            out = ACTIVATIONS[activations[index]](net)

    output = activations[-1]
    if workload.loss == "half_squared_error":
        def loss(trained, fixed, x, targets):
            out = ACTIVATIONS[output](logits(trained, fixed, x))
            return 0.5 * jnp.sum((targets - out) ** 2) / x.shape[0]
    else:
        assert workload.loss == "cross_entropy" and output == "softmax"

        def loss(trained, fixed, x, targets):
            net = logits(trained, fixed, x)
            return jnp.sum(targets * (jax.nn.logsumexp(net, axis=1, keepdims=True) - net)) / x.shape[0]

    if train_biases:
        return loss, (weights, biases), None
    return loss, (weights,), biases


def optimizer(workload):
    """(init(trained) -> state, update(trained, grads, state) -> (trained, state))."""
    name, settings = workload.optimizer
    lr = settings["lr"]
    tree = jax.tree_util.tree_map
    if name == "sgd" and not settings.get("momentum"):
        return (lambda trained: (), lambda trained, grads, state: (tree(lambda p, g: p - lr * g, trained, grads), state))
    if name == "sgd":
        mu = settings["momentum"]

        def update(trained, grads, buffers):
            buffers = tree(lambda b, g: mu * b + g, buffers, grads)
            return tree(lambda p, b: p - lr * b, trained, buffers), buffers
        return (lambda trained: tree(jnp.zeros_like, trained), update)
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8

    def adam(trained, grads, state):
        m, v, t = state
        t = t + 1
        m = tree(lambda m, g: beta1 * m + (1 - beta1) * g, m, grads)
        v = tree(lambda v, g: beta2 * v + (1 - beta2) * g * g, v, grads)
        step_size = lr / (1 - beta1 ** t)
        root_correction = jnp.sqrt(1 - beta2 ** t)
        trained = tree(lambda p, m, v: p - step_size * m / (jnp.sqrt(v) / root_correction + epsilon), trained, m, v)
        return trained, (m, v, t)
    return (lambda trained: (tree(jnp.zeros_like, trained), tree(jnp.zeros_like, trained), jnp.asarray(0.0)), adam)


def compiled_step(workload):
    """The jitted step (trained, state, fixed, x, targets, rows) -> (trained, state, batch loss),
    the jitted whole-set loss, and the starting values."""
    loss, trained, fixed = model(workload)
    init, update = optimizer(workload)
    gradient = jax.value_and_grad(loss)

    @jax.jit
    def step(trained, state, fixed, x, targets, rows):
        if rows is not None:
            x, targets = x[rows], targets[rows]
        value, grads = gradient(trained, fixed, x, targets)
        trained, state = update(trained, grads, state)
        return trained, state, value

    return step, jax.jit(loss), trained, init(trained), fixed


def train_jit(workload, data, compiled):
    """One run with the jitted step called from Python (`compiled`: what `compiled_step`
    returns, made once so that only the first run compiles); the loss history as nnrun
    records it. JAX arrays are immutable: every run starts from the same values."""
    x, targets, batches = data
    step, evaluate, trained, state, fixed = compiled
    history = []
    if batches is None:
        for index in range(workload.steps):
            trained, state, loss = step(trained, state, fixed, x, targets, None)
            if index % workload.record_every == 0:
                history.append(loss)
        history.append(evaluate(trained, fixed, x, targets))
    else:
        history.append(evaluate(trained, fixed, x, targets))
        for index, rows in enumerate(batches, start=1):
            trained, state, _ = step(trained, state, fixed, x, targets, rows)
            if index % workload.record_every == 0 or index == workload.steps:
                history.append(evaluate(trained, fixed, x, targets))
    return [float(loss) for loss in jax.block_until_ready(history)]


def compiled_loop(workload):
    """The whole full-batch training as one jitted function of (trained, fixed, x, targets):
    lax.fori_loop over the steps, each step's batch loss kept at the recorded steps, and the
    final whole-set loss; returns the history array."""
    loss, trained, fixed = model(workload)
    init, update = optimizer(workload)
    gradient = jax.value_and_grad(loss)
    every, steps = workload.record_every, workload.steps
    recorded = (steps - 1) // every + 1

    @jax.jit
    def run(trained, fixed, x, targets):
        def body(index, carry):
            trained, state, history = carry
            value, grads = gradient(trained, fixed, x, targets)
            trained, state = update(trained, grads, state)
            slot = index // every
            history = history.at[slot].set(jnp.where(index % every == 0, value, history[slot]))
            return trained, state, history

        carry = (trained, init(trained), jnp.zeros(recorded + 1))
        trained, _, history = lax.fori_loop(0, steps, body, carry)
        return history.at[recorded].set(loss(trained, fixed, x, targets))

    return run, trained, fixed


def prepared(workload):
    """The data and the batches' sample indices as device arrays."""
    batches = None if workload.batches is None else [jnp.asarray(rows) for rows in workload.batches]
    return jnp.asarray(workload.x), jnp.asarray(workload.targets), batches


def time_jit(workload, runs):
    """Median in-process seconds of a run with the jitted step over `runs` runs after one
    warm-up (which compiles), and the final loss. The step is jitted once, outside the runs:
    a jax.jit made inside a timed run would compile in every run."""
    data = prepared(workload)
    compiled = compiled_step(workload)
    seconds, history = timing.median_seconds(lambda: train_jit(workload, data, compiled), runs)
    return seconds, history[-1]


def time_fori_loop(workload, runs):
    """Median in-process seconds of the compiled whole loop (full-batch workloads) over `runs`
    runs after one warm-up (which compiles), and the final loss."""
    assert workload.batches is None
    x, targets, _ = prepared(workload)
    run, trained, fixed = compiled_loop(workload)
    # Timed until the history is computed (block_until_ready); reading its last entry back as
    # a Python float is outside the timed region.
    seconds, history = timing.median_seconds(lambda: jax.block_until_ready(run(trained, fixed, x, targets)), runs)
    return seconds, float(history[-1])
