"""Breast-cancer classifier: one raw logit with nn.BCEWithLogitsLoss, sigmoid for predictions."""

import torch
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler
from torch import nn

features, labels = load_breast_cancer(return_X_y=True)
x = torch.tensor(StandardScaler().fit_transform(features), dtype=torch.float32)
y = torch.tensor(labels, dtype=torch.float32)

model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

for step in range(200):
    optimizer.zero_grad()
    loss = criterion(model(x).squeeze(1), y)
    loss.backward()
    optimizer.step()

with torch.no_grad():
    predicted = (torch.sigmoid(model(x).squeeze(1)) > 0.5).float()
print("accuracy", (predicted == y).float().mean().item())
