"""The Keras (and tf.keras) front end: models, layers, compile, fit, hand-written loops."""
