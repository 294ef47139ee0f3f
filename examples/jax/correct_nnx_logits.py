"""A Flax nnx binary classifier returning a logit to optax.sigmoid_binary_cross_entropy."""

import jax
import optax
from flax import nnx


class Classifier(nnx.Module):
    def __init__(self, features: int, rngs: nnx.Rngs):
        self.hidden = nnx.Linear(features, 32, rngs=rngs)
        self.out = nnx.Linear(32, 1, rngs=rngs)

    def __call__(self, x):
        return self.out(nnx.relu(self.hidden(x)))


def loss_fn(model, x, y):
    return optax.sigmoid_binary_cross_entropy(model(x).squeeze(-1), y).mean()


@nnx.jit
def train_step(model, optimizer, x, y):
    loss, grads = nnx.value_and_grad(loss_fn)(model, x, y)
    optimizer.update(grads)
    return loss


def categorical_loss(logits, one_hot_labels):
    log_probabilities = jax.nn.log_softmax(logits)
    return -(one_hot_labels * log_probabilities).sum(axis=-1).mean()


if __name__ == "__main__":
    from sklearn.datasets import load_breast_cancer

    features, labels = load_breast_cancer(return_X_y=True)
    x = (features - features.mean(axis=0)) / features.std(axis=0)
    model = Classifier(30, rngs=nnx.Rngs(0))
    optimizer = nnx.Optimizer(model, optax.adam(1e-3))
    for step in range(200):
        loss = train_step(model, optimizer, x, labels)
