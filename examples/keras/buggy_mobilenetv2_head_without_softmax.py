# Seed config: MobileNetV2 transfer head Dense(102) emits logits, SparseCategoricalCrossentropy() expects probabilities (LG001).
import tensorflow as tf
import tensorflow_datasets as tfds

IMAGE_SIZE = (224, 224)
NUM_CLASSES = 102


def preprocess(image, label):
    image = tf.image.resize(image, IMAGE_SIZE)
    return tf.keras.applications.mobilenet_v2.preprocess_input(image), label


train_ds, val_ds = tfds.load(
    "oxford_flowers102", split=["train", "validation"], as_supervised=True
)
train_ds = train_ds.map(preprocess).shuffle(1000).batch(32).prefetch(tf.data.AUTOTUNE)
val_ds = val_ds.map(preprocess).batch(32).prefetch(tf.data.AUTOTUNE)

base_model = tf.keras.applications.MobileNetV2(
    input_shape=IMAGE_SIZE + (3,), include_top=False, weights="imagenet"
)
base_model.trainable = False

model = tf.keras.Sequential(
    [
        base_model,
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(NUM_CLASSES),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(),
    metrics=["accuracy"],
)
model.fit(train_ds, validation_data=val_ds, epochs=10)
