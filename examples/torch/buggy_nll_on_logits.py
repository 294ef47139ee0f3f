"""NLLLoss on raw logits, and one-hot targets where NLLLoss wants class indices.

NLLLoss is -input[target]: without log_softmax the loss is unbounded below and training runs
away (LG010). It also takes integer class indices, not one-hot vectors (LG007).
"""

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn

NUM_CLASSES = 10

features, labels = load_digits(return_X_y=True)
x = torch.tensor(features / 16.0, dtype=torch.float32)
y = torch.tensor(labels)
targets = F.one_hot(y, NUM_CLASSES).float()

model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, NUM_CLASSES))
criterion = nn.NLLLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for step in range(100):
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()

one_hot_loss = criterion(F.log_softmax(model(x), dim=1), targets)
