"""Digits MLP whose forward ends in a softmax, trained with nn.CrossEntropyLoss.

CrossEntropyLoss applies log_softmax itself: the softmax is applied twice, outputs can never
be confident, and the model trains far slower (logitguard: LG002).
"""

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
        x = F.relu(self.hidden(x))
        x = self.out(x)
        return F.softmax(x, dim=1)


def train(model, loader, criterion, epochs=10):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            outputs = model(xb)
            loss = criterion(outputs, yb)
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
