"""Inference of a bundle written by `voxlab export-bundle`: plain PyTorch, no pytorch-ignite.

configs/inference.json builds the network (weights from models/model.pt) and a MONAI dataset with the
validation preprocessing, and calls Predictor.run(), which writes <output_dir>/predictions.jsonl: one line
per image, {"image": path as in the datalist, "logits": [...], "probabilities": [...], "predicted": class}.
"""

from __future__ import annotations

import json
import os

import torch

from .voxlab_train import _collate


class Predictor:
    """Eval-mode logits and softmax probabilities for every item of `dataset`, in batches of `batch_size`."""

    def __init__(self, network, dataset, classes, device, output_dir: str, batch_size: int = 1):
        self.network = network
        self.dataset = dataset
        self.classes = list(classes)
        self.device = torch.device(device)
        self.output_dir = output_dir
        self.batch_size = int(batch_size)

    @torch.no_grad()
    def run(self) -> str:
        """Writes the predictions file and returns its path."""
        self.network.eval()
        n = len(self.dataset)
        batches = [list(range(i, min(i + self.batch_size, n))) for i in range(0, n, self.batch_size)]
        loader = torch.utils.data.DataLoader(self.dataset, batch_sampler=batches, collate_fn=_collate)
        os.makedirs(self.output_dir, exist_ok=True)
        path = os.path.join(self.output_dir, "predictions.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for batch, (x, _) in zip(batches, loader):
                logits = self.network(x.to(self.device)).float().cpu()
                probs = torch.softmax(logits, dim=1)
                for i, row in zip(batch, logits):
                    item = self.dataset.data[i]
                    f.write(
                        json.dumps(
                            {
                                "image": item["image"],
                                "logits": row.tolist(),
                                "probabilities": probs[batch.index(i)].tolist(),
                                "predicted": self.classes[int(row.argmax())],
                            }
                        )
                        + "\n"
                    )
        return path
