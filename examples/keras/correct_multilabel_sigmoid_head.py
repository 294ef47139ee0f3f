# Multi-label tagging: independent sigmoids with binary_crossentropy is the right pairing.
import keras
from keras import layers

NUM_TAGS = 12

inputs = keras.Input(shape=(300,))
x = layers.Dense(128, activation="relu")(inputs)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(NUM_TAGS, activation="sigmoid")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(
    optimizer="adam",
    loss="binary_crossentropy",
    metrics=[keras.metrics.BinaryAccuracy(), keras.metrics.AUC(multi_label=True)],
)
