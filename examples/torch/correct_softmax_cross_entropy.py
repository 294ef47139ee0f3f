"""Digits MLP that returns raw logits to nn.CrossEntropyLoss; softmax only for predictions."""

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn


class DigitsNet(nn.Module):
    def __init__(self, hidden: int = 64):
        super().__init__()
        self.hidden = nn.Linear(64, hidden)
        self.out = nn.Linear(hidden, 10)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))


def train(model, loader, criterion, epochs=10):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: loss {loss.item():.3f}")


if __name__ == "__main__":
    features, labels = load_digits(return_X_y=True)
    x = torch.tensor(features / 16.0, dtype=torch.float32)
    y = torch.tensor(labels)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x, y), batch_size=64, shuffle=True
    )
    model = DigitsNet()
    train(model, loader, nn.CrossEntropyLoss())
    with torch.no_grad():
        probabilities = F.softmax(model(x[:5]), dim=1)
        print(probabilities.argmax(dim=1), y[:5])
