"""A LightningModule whose network ends in nn.Softmax, trained with F.cross_entropy (LG002),
and whose validation loss takes torch.log of the softmax (LG011: -inf once a probability
underflows to 0)."""

import lightning as L
import torch
import torch.nn.functional as F
from torch import nn


class LitDigits(L.LightningModule):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(64, 128),
            nn.ReLU(),
            nn.Dropout(0.2),
            nn.Linear(128, num_classes),
            nn.Softmax(dim=1),
        )

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        probabilities = self(x)
        loss = F.cross_entropy(probabilities, y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        loss = F.nll_loss(torch.log(self(x)), y)
        self.log("val_loss", loss)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)
