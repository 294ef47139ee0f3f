# A helper builds and compiles a functional logits model for load_digits; predictions use argmax over logits.
import keras
import numpy as np
from keras import layers
from sklearn.datasets import load_digits

NUM_CLASSES = 10


def build_model(num_features):
    inputs = keras.Input(shape=(num_features,))
    x = layers.Dense(64, activation="relu")(inputs)
    x = layers.Dropout(0.1)(x)
    logits = layers.Dense(NUM_CLASSES)(x)
    model = keras.Model(inputs=inputs, outputs=logits)
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    return model


x, y = load_digits(return_X_y=True)
model = build_model(x.shape[1])
model.fit(x / 16.0, y, epochs=30, batch_size=32)
predicted_digits = np.argmax(model.predict(x[:10] / 16.0), axis=-1)
