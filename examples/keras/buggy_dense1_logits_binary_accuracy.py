# Seed config: Dense(1) logits with BinaryCrossentropy(from_logits=True) is right, but 'accuracy' becomes BinaryAccuracy at 0.5 (LG003).
import keras
from keras import layers
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

features, labels = load_breast_cancer(return_X_y=True)
x_train, x_test, y_train, y_test = train_test_split(features, labels, test_size=0.25)
scaler = StandardScaler().fit(x_train)
x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)

model = keras.Sequential(
    [
        keras.Input(shape=(30,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(1),
    ]
)
model.compile(
    optimizer="adam",
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.fit(x_train, y_train, epochs=20, validation_data=(x_test, y_test))
