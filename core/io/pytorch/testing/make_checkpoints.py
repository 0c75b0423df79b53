"""Writes MONAI DenseNet checkpoints with torch.save for the .pt reader's tests, and what they must read as.

Usage: make_checkpoints.py OUT_DIR PRESETS [--variants] [--logits]
  PRESETS: comma-separated densenet121, small, tiny (core/train/config.ts MODEL_PRESETS).
  For each preset P: P.pt (torch.save(state_dict), the default zip format) and P.expect.json + P.expect.bin
  (every tensor's dtype, shape and numpy .tobytes() of its contiguous values, in state_dict order).
  --variants (tiny only): tiny_wrapped.pt ({'model': sd, 'optimizer': Adam's state after one step,
  'trainer': {...}}, as ignite's CheckpointSaver writes), tiny_ddp.pt (DataParallel 'module.' keys),
  tiny_f64.pt and tiny_f16.pt (model.double()/.half()), each with its own .expect files.
  --logits: input_32.bin (float32 [1, 1, 32, 32, 32]) and P.logits.json (eval-mode float32 logits); with
  --variants also tiny_trained.logits.json (the wrapped and DataParallel checkpoints' weights, after the step).
BatchNorm statistics are randomised so that every tensor's place matters.
"""
import json
import sys

import torch
from monai.networks.nets import DenseNet121

PRESETS = {
    "densenet121": {},
    "small": dict(init_features=16, growth_rate=8, block_config=(2, 4, 6, 4), bn_size=4),
    "tiny": dict(init_features=8, growth_rate=4, block_config=(2, 2, 2, 2), bn_size=2),
}


def make(preset):
    torch.manual_seed(len(preset))
    net = DenseNet121(spatial_dims=3, in_channels=1, out_channels=2, **PRESETS[preset])
    g = torch.Generator().manual_seed(7)
    with torch.no_grad():
        for name, buf in net.named_buffers():
            if name.endswith("running_mean"):
                buf.copy_(torch.rand(buf.shape, generator=g) - 0.5)
            elif name.endswith("running_var"):
                buf.copy_(torch.rand(buf.shape, generator=g) + 0.5)
            elif name.endswith("num_batches_tracked"):
                buf.fill_(12)
    return net.eval()


def expect(out, stem, sd):
    entries, blob, offset = [], bytearray(), 0
    for key, t in sd.items():
        raw = t.detach().contiguous().cpu().numpy().tobytes()
        entries.append({"key": key, "dtype": str(t.dtype), "shape": list(t.shape), "offset": offset, "bytes": len(raw)})
        blob += raw
        offset += len(raw)
    with open(f"{out}/{stem}.expect.json", "w") as f:
        json.dump(entries, f)
    with open(f"{out}/{stem}.expect.bin", "wb") as f:
        f.write(blob)


def save(out, stem, obj, sd):
    torch.save(obj, f"{out}/{stem}.pt")
    expect(out, stem, sd)


def variants(out, net, x):
    sd = net.state_dict()
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    net.train()
    loss = net(torch.rand(2, 1, 32, 32, 32)).sum()
    loss.backward()
    opt.step()
    net.eval()
    sd = net.state_dict()
    if x is not None:
        with torch.no_grad():
            with open(f"{out}/tiny_trained.logits.json", "w") as f:
                json.dump(net(x)[0].tolist(), f)
    wrapped = {"model": sd, "optimizer": opt.state_dict(), "trainer": {"epoch_length": 4, "max_epochs": 5, "iteration": 8}}
    save(out, "tiny_wrapped", wrapped, sd)
    ddp = torch.nn.DataParallel(net).state_dict()
    save(out, "tiny_ddp", ddp, sd)
    f64 = {k: (v.double() if v.is_floating_point() else v) for k, v in sd.items()}
    save(out, "tiny_f64", f64, f64)
    f16 = {k: (v.half() if v.is_floating_point() else v) for k, v in sd.items()}
    save(out, "tiny_f16", f16, f16)


def main():
    out, presets = sys.argv[1], sys.argv[2].split(",")
    x = None
    if "--logits" in sys.argv:
        x = torch.rand(1, 1, 32, 32, 32, generator=torch.Generator().manual_seed(3))
        with open(f"{out}/input_32.bin", "wb") as f:
            f.write(x.numpy().tobytes())
    for preset in presets:
        net = make(preset)
        save(out, preset, net.state_dict(), net.state_dict())
        if x is not None:
            with torch.no_grad():
                logits = net(x)[0].tolist()
            with open(f"{out}/{preset}.logits.json", "w") as f:
                json.dump(logits, f)
        if preset == "tiny" and "--variants" in sys.argv:
            variants(out, net, x)


main()
