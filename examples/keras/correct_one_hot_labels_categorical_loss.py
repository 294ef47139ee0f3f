# MNIST with one-hot labels and categorical_crossentropy on a softmax head: consistent.
from tensorflow import keras
from tensorflow.keras.utils import to_categorical

NUM_CLASSES = 10

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
y_train = to_categorical(y_train, NUM_CLASSES)
y_test = to_categorical(y_test, NUM_CLASSES)

model = keras.Sequential(
    [
        keras.layers.Dense(256, activation="relu", input_shape=(784,)),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=5, validation_data=(x_test, y_test))
