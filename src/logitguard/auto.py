"""`import logitguard.auto`: the same as `logitguard.autocheck()` (warn on every mismatch).

Put it first in a training script: every Keras compile/fit and the first call of each PyTorch
loss module in the process is checked from then on.
"""

from logitguard.integrations.autocheck import autocheck

autocheck()
