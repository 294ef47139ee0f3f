# A logits model trained correctly, but its raw outputs are rounded and cut at 0.5 as if they were probabilities (LG009).
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_breast_cancer

x, y = load_breast_cancer(return_X_y=True)
x = (x - x.mean(axis=0)) / x.std(axis=0)

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(30,)),
        tf.keras.layers.Dense(8, activation="relu"),
        tf.keras.layers.Dense(1),
    ]
)
model.compile(
    optimizer="adam",
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.0)],
)
model.fit(x, y, epochs=20, verbose=0)

scores = model.predict(x[:20])
predicted = np.round(scores).astype(int)
confident = scores > 0.5
print(predicted.ravel(), confident.ravel())
