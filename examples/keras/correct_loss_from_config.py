# The loss and activation come from a config file: logitguard cannot know them and stays silent.
import json

import keras

with open("experiment.json") as config_file:
    config = json.load(config_file)

model = keras.Sequential(
    [
        keras.Input(shape=(config["features"],)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(config["classes"], activation=config["head_activation"]),
    ]
)
model.compile(optimizer="adam", loss=config["loss"], metrics=["accuracy"])
