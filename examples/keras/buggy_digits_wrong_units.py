# load_digits has 10 classes but the output layer has 9 units (LG008).
import keras
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

digits_x, digits_y = load_digits(return_X_y=True)
x_train, x_val, y_train, y_val = train_test_split(digits_x / 16.0, digits_y, stratify=digits_y)


def build_model(hidden_units=64):
    model = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dense(9, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


model = build_model()
model.fit(x_train, y_train, epochs=40, validation_data=(x_val, y_val))
