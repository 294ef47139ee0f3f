# A subclassed model applies softmax in call() and the loss applies it again (from_logits=True): LG002.
import tensorflow as tf
from sklearn.datasets import load_wine
from sklearn.preprocessing import StandardScaler


class WineClassifier(tf.keras.Model):
    def __init__(self, num_classes=3):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(32, activation="relu")
        self.dropout = tf.keras.layers.Dropout(0.1)
        self.classifier = tf.keras.layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = self.hidden(inputs)
        x = self.dropout(x, training=training)
        return tf.nn.softmax(self.classifier(x))


features, labels = load_wine(return_X_y=True)
features = StandardScaler().fit_transform(features)

model = WineClassifier()
model.compile(
    optimizer=tf.keras.optimizers.Adam(1e-3),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.fit(features, labels, epochs=30, batch_size=16)
