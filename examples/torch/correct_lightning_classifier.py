"""A LightningModule that returns logits to F.cross_entropy and softmaxes only to predict."""

import lightning as L
import torch
import torch.nn.functional as F
from torch import nn


class LitDigits(L.LightningModule):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, num_classes)
        )

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        loss = F.nll_loss(F.log_softmax(self(x), dim=1), y)
        self.log("val_loss", loss)

    def predict_step(self, batch, batch_idx):
        return F.softmax(self(batch[0]), dim=1)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)
