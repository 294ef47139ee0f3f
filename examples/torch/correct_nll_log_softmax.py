"""NLLLoss on log_softmax outputs, with integer class indices as targets."""

import torch
from sklearn.datasets import load_digits
from torch import nn

NUM_CLASSES = 10

features, labels = load_digits(return_X_y=True)
x = torch.tensor(features / 16.0, dtype=torch.float32)
y = torch.tensor(labels)

model = nn.Sequential(
    nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, NUM_CLASSES), nn.LogSoftmax(dim=1)
)
criterion = nn.NLLLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for step in range(100):
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()

with torch.no_grad():
    probabilities = model(x[:5]).exp()
