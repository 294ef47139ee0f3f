"""Trains the model that model.py builds (run from this folder: python train.py)."""

from model import build_model
from sklearn.datasets import load_digits
from tensorflow import keras

x, y = load_digits(return_X_y=True)
model = build_model()
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(x / 16.0, y, epochs=10, validation_split=0.2)
