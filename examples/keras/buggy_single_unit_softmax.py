# A binary classifier with Dense(1) followed by a softmax: the output is always 1.0 (LG004).
from keras.layers import Activation, Dense, Input
from keras.models import Sequential
from sklearn.datasets import load_breast_cancer

x, y = load_breast_cancer(return_X_y=True)

model = Sequential()
model.add(Input(shape=(30,)))
model.add(Dense(32, activation="relu"))
model.add(Dense(1))
model.add(Activation("softmax"))
model.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
model.fit(x, y, epochs=10, batch_size=32)
