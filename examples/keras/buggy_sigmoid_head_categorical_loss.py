# Independent sigmoids over 4 classes trained with categorical_crossentropy (LG006).
import numpy as np
import tensorflow as tf

NUM_CLASSES = 4
features = np.random.rand(512, 20).astype("float32")
labels = tf.one_hot(np.random.randint(0, NUM_CLASSES, size=512), depth=NUM_CLASSES)

inputs = tf.keras.Input(shape=(20,))
hidden = tf.keras.layers.Dense(32, activation="relu")(inputs)
outputs = tf.keras.layers.Dense(NUM_CLASSES, activation="sigmoid")(hidden)
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(features, labels, epochs=5)
