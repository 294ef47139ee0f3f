# An iris softmax head over 3 classes trained with binary_crossentropy (LG005).
import keras
from sklearn.datasets import load_iris

iris = load_iris()
x, y = iris.data, keras.utils.to_categorical(iris.target, 3)

model = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=50, batch_size=8)
