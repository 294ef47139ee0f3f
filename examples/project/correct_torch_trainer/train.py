"""Wires the model, the loss and the loop together (run from this folder: python train.py)."""

import torch
import torch.nn as nn
from engine import train_one_epoch
from models import Classifier
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, TensorDataset

digits = load_digits()
data = TensorDataset(
    torch.tensor(digits.data, dtype=torch.float32) / 16.0, torch.tensor(digits.target)
)
loader = DataLoader(data, batch_size=64, shuffle=True)

model = Classifier()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(10):
    print(epoch, train_one_epoch(model, criterion, loader, optimizer))
