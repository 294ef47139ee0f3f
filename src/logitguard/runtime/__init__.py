"""Runtime front ends: inspect live Keras models and PyTorch modules (imported lazily)."""
