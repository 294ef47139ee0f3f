"""Framework knowledge the engine applies: what Keras, PyTorch and JAX code builds and expects."""
