"""Training loop of a bundle written by `voxlab export-bundle`: plain PyTorch, no pytorch-ignite.

configs/train.json builds the pieces (network, loss, optimizer, MONAI datasets) and calls Trainer.run(); this
file repeats what `voxlab train` does with them (core/train in voxlab):
  - epochs of seeded shuffled batches; a last batch of one volume joins the one before it (BatchNorm in
    training mode needs two values per channel);
  - validation every `val_interval` epochs and after the last one, in eval mode, without augmentation;
  - the best epoch: highest validation accuracy, ties broken by lower validation loss;
  - weights as `torch.save(state_dict)`: models/model.pt (best) and models/last.pt (every epoch).
Progress goes to <output_dir>/metrics.jsonl, one JSON object a line (the events are listed in Trainer.run),
for voxlab to follow, and to TensorBoard when the tensorboard package imports.

Under torchrun (configs/multi_gpu_train.json) the network comes wrapped in DistributedDataParallel: each
process trains on its share of every epoch's order in batches of `batch_size` (so W processes step with W
times the batch), and rank 0 alone validates, saves and writes the metrics.
"""

from __future__ import annotations

import json
import logging
import math
import os
import struct
import time

import numpy as np
import torch
import torch.distributed as dist

logger = logging.getLogger("voxlab.bundle")

# Parts of a 64-bit seed for one purpose of one epoch (see epoch_seed).
_PURPOSES = {"shuffle": 1, "augment": 2}


def epoch_seed(seed: int, purpose: str, epoch: int, rank: int = 0) -> int:
    """A 32-bit seed for `purpose` in `epoch` on `rank`, so any epoch can be replayed on its own."""
    h = 0x9E3779B9
    for word in (seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF, _PURPOSES[purpose], epoch, rank):
        h = ((h ^ word) * 0x85EBCA6B) & 0xFFFFFFFF
        h ^= h >> 13
        h = (h * 0xC2B2AE35) & 0xFFFFFFFF
        h ^= h >> 16
    return h


def epoch_batches(n: int, batch_size: int, seed: int, epoch: int, rank: int = 0, world_size: int = 1) -> list:
    """Item indices of `rank`'s batches in `epoch` (1-based).

    One seeded permutation of range(n) for all ranks; with several ranks it is padded by wrapping around to
    a multiple of world_size and dealt out round-robin, so every rank takes the same number of steps (as
    torch's DistributedSampler does). A last batch of one item joins the one before it.
    """
    generator = torch.Generator()
    generator.manual_seed(epoch_seed(seed, "shuffle", epoch))
    order = torch.randperm(n, generator=generator).tolist()
    if world_size > 1:
        total = -(-n // world_size) * world_size
        order = [order[i % n] for i in range(total)][rank::world_size]
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    if len(batches) > 1 and len(batches[-1]) == 1:
        batches[-2].extend(batches.pop())
    return batches


def _roc_auc(scores: np.ndarray, positive: np.ndarray):
    """Mann-Whitney U / (n_pos * n_neg) with mid-ranks for ties; None when a class is empty."""
    n_pos = int(positive.sum())
    n_neg = len(scores) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def classification_metrics(logits: np.ndarray, labels: np.ndarray, classes: int) -> dict:
    """voxlab's ClassificationMetrics of logits [n, classes] against class indices: n, loss, accuracy, auc, confusion."""
    n = len(labels)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    probs = np.exp(log_probs)
    predicted = logits.argmax(axis=1)
    if classes == 2:
        auc = _roc_auc(probs[:, 1], labels == 1)
    else:
        aucs = [_roc_auc(probs[:, c], labels == c) for c in range(classes)]
        auc = None if any(a is None for a in aucs) else float(np.mean(aucs))
    confusion = np.zeros((classes, classes), dtype=int)
    for t, p in zip(labels, predicted):
        confusion[t, p] += 1
    return {
        "n": n,
        "loss": float(-log_probs[np.arange(n), labels].mean()),
        "accuracy": float((predicted == labels).mean()),
        "auc": auc,
        "confusion": confusion.tolist(),
    }


def is_better(candidate: dict, best) -> bool:
    """voxlab's best-epoch rule: higher accuracy, or equal accuracy and lower loss."""
    if best is None:
        return True
    if candidate["accuracy"] != best["accuracy"]:
        return candidate["accuracy"] > best["accuracy"]
    return candidate["loss"] < best["loss"]


def _finite(value):
    """JSON has no NaN or Infinity: they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


class MetricsLog:
    """Appends JSON lines to a file, flushed per line so a follower sees each event at once. A no-op off rank 0."""

    def __init__(self, path: str, enabled: bool):
        self.file = None
        if enabled:
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            self.file = open(path, "w", encoding="utf-8")

    def write(self, **event) -> None:
        if self.file is not None:
            self.file.write(json.dumps(_finite(event), allow_nan=False) + "\n")
            self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _describe(error: BaseException) -> str:
    """The error and its innermost cause (MONAI wraps a transform's error in a RuntimeError of its own)."""
    text = f"{type(error).__name__}: {error}"
    cause = error
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__
    if cause is not error:
        text += f" (caused by {type(cause).__name__}: {cause})"
    return text


def _tensorboard(log_dir: str, enabled: bool):
    """A SummaryWriter, or None (off rank 0, or without the tensorboard package: said in the log)."""
    if not enabled:
        return None
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as e:
        logger.warning("TensorBoard logs are off: %s (pip install tensorboard to get them)", e)
        return None
    return SummaryWriter(log_dir=log_dir)


def _save_atomic(obj, path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    torch.save(obj, tmp)
    os.replace(tmp, path)


_SAFETENSORS_DTYPES = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8")}


def save_safetensors(state_dict: dict, path: str) -> None:
    """A state_dict as a safetensors file (header JSON, then raw little-endian data), for readers without pickle."""
    header, blobs, offset = {}, [], 0
    for name, tensor in state_dict.items():
        tag, dtype = _SAFETENSORS_DTYPES[tensor.dtype]
        blob = np.ascontiguousarray(tensor.detach().cpu().numpy(), dtype=dtype).tobytes()
        header[name] = {"dtype": tag, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    os.replace(tmp, path)


def _collate(items: list) -> tuple:
    """Plain tensors x [batch, 1, D, H, W] and labels [batch] (-1 where an item has none) from the datasets' dictionaries."""
    images = [torch.as_tensor(item["image"]) for item in items]
    x = torch.stack([i.as_tensor() if hasattr(i, "as_tensor") else i for i in images])
    return x.float(), torch.tensor([int(item.get("label", -1)) for item in items], dtype=torch.long)


class Trainer:
    """Trains `network` as `voxlab train` does; see the file's header. Arguments come from configs/train.json."""

    def __init__(
        self,
        network,
        loss_function,
        optimizer,
        train_dataset,
        val_dataset,
        classes,
        epochs: int,
        batch_size: int,
        val_interval: int,
        seed: int,
        device,
        bundle_root: str,
        output_dir: str,
        ckpt_dir: str,
        num_workers: int = 0,
        save_safetensors: bool = True,
    ):
        self.network = network
        self.loss_function = loss_function
        self.optimizer = optimizer
        self.train_dataset = train_dataset
        self.val_dataset = val_dataset
        self.classes = list(classes)
        self.epochs = int(epochs)
        self.batch_size = int(batch_size)
        self.val_interval = int(val_interval)
        self.seed = int(seed)
        self.device = torch.device(device)
        self.bundle_root = bundle_root
        self.output_dir = output_dir
        self.ckpt_dir = ckpt_dir
        self.num_workers = int(num_workers)
        self.save_safetensors = save_safetensors
        distributed = dist.is_available() and dist.is_initialized()
        self.rank = dist.get_rank() if distributed else 0
        self.world_size = dist.get_world_size() if distributed else 1

    @property
    def module(self):
        """The network without its DistributedDataParallel wrapper (state_dict keys without 'module.')."""
        return self.network.module if hasattr(self.network, "module") else self.network

    def _relative(self, path: str) -> str:
        return os.path.relpath(path, self.bundle_root).replace(os.sep, "/")

    def _loader(self, dataset, batches: list, epoch: int, rank: int):
        # Seeds the random transforms per epoch and rank, so an epoch replays without the ones before it.
        transform = getattr(dataset, "transform", None)
        if hasattr(transform, "set_random_state"):
            transform.set_random_state(seed=epoch_seed(self.seed, "augment", epoch, rank))
        worker_init = None
        if self.num_workers > 0:
            from monai.data.utils import worker_init_fn as worker_init
        return torch.utils.data.DataLoader(
            dataset,
            batch_sampler=batches,
            collate_fn=_collate,
            num_workers=self.num_workers,
            worker_init_fn=worker_init,
        )

    def run(self) -> dict | None:
        """Trains every epoch; writes the events start, epoch (each), checkpoint (each new best), done or error."""
        lead = self.rank == 0
        log = MetricsLog(os.path.join(self.output_dir, "metrics.jsonl"), lead)
        writer = _tensorboard(self.output_dir, lead)
        try:
            log.write(
                event="start",
                epochs=self.epochs,
                train=len(self.train_dataset),
                val=len(self.val_dataset),
                classes=self.classes,
                world_size=self.world_size,
                device=self.device.type,
            )
            best = self._epochs(log, writer)
            best_epoch = None if best is None else best["epoch"]
            log.write(event="done", best_epoch=best_epoch, model=self._relative(self._model_path))
            return best
        except BaseException as e:
            log.write(event="error", message=_describe(e))
            raise
        finally:
            if writer is not None:
                writer.close()
            log.close()

    @property
    def _model_path(self) -> str:
        return os.path.join(self.ckpt_dir, "model.pt")

    def _epochs(self, log: MetricsLog, writer):
        best = None
        for epoch in range(1, self.epochs + 1):
            started = time.perf_counter()
            train = self._train_epoch(epoch, writer)
            validate = epoch % self.val_interval == 0 or epoch == self.epochs
            val = self._validate() if validate and self.rank == 0 else None
            seconds = time.perf_counter() - started
            if self.rank == 0:
                backend = f"monai-torch-{self.device.type}"
                log.write(event="epoch", epoch=epoch, train=train, val=val, seconds=seconds, backend=backend)
                logger.info("epoch %d/%d train %s val %s %.1fs", epoch, self.epochs, train, val, seconds)
                if writer is not None and val is not None:
                    writer.add_scalar("val_accuracy", val["accuracy"], epoch)
                    writer.add_scalar("val_loss", val["loss"], epoch)
                state = self.module.state_dict()
                _save_atomic(state, os.path.join(self.ckpt_dir, "last.pt"))
                if val is not None and is_better(val, best and best["metrics"]):
                    best = {"epoch": epoch, "metrics": val}
                    _save_atomic(state, self._model_path)
                    if self.save_safetensors:
                        save_safetensors(state, os.path.join(self.ckpt_dir, "model.safetensors"))
                    file = self._relative(self._model_path)
                    log.write(event="checkpoint", epoch=epoch, file=file, best={"epoch": epoch, "accuracy": val["accuracy"]})
            if self.world_size > 1:
                dist.barrier()  # the others wait while rank 0 validates and saves
        return best

    def _train_epoch(self, epoch: int, writer) -> dict:
        """One epoch on this rank's batches; loss, accuracy and n summed over every rank."""
        self.network.train()
        batches = epoch_batches(len(self.train_dataset), self.batch_size, self.seed, epoch, self.rank, self.world_size)
        totals = torch.zeros(3, dtype=torch.float64, device=self.device)  # loss * n, correct, n
        for step, (x, labels) in enumerate(self._loader(self.train_dataset, batches, epoch, self.rank), start=1):
            x, labels = x.to(self.device), labels.to(self.device)
            self.optimizer.zero_grad()
            logits = self.network(x)
            loss = self.loss_function(logits, labels)
            loss.backward()
            self.optimizer.step()
            n = len(labels)
            totals += torch.tensor(
                [loss.item() * n, (logits.argmax(dim=1) == labels).sum().item(), n],
                dtype=torch.float64,
                device=self.device,
            )
            if writer is not None:
                writer.add_scalar("train_loss", loss.item(), (epoch - 1) * len(batches) + step)
        if self.world_size > 1:
            dist.all_reduce(totals)
        loss_sum, correct, n = totals.tolist()
        return {"loss": loss_sum / n, "accuracy": correct / n, "n": int(n)}

    @torch.no_grad()
    def _validate(self) -> dict:
        """Eval-mode metrics on the whole validation list, in its order (rank 0 only)."""
        module = self.module
        module.eval()
        n = len(self.val_dataset)
        batches = [list(range(i, min(i + self.batch_size, n))) for i in range(0, n, self.batch_size)]
        logits, labels = [], []
        for x, y in self._loader(self.val_dataset, batches, 0, 0):
            logits.append(module(x.to(self.device)).float().cpu())
            labels.append(y)
        module.train()
        return classification_metrics(
            torch.cat(logits).double().numpy(), torch.cat(labels).numpy(), len(self.classes)
        )
