"""Float64 reference gradients for the backend-equivalence scenario (issue #12), with PyTorch's float32 error.

The webgpu and wasm backends compute in float32; how close two float32 implementations can be depends on
how much rounding error each gradient carries. This script measures it on PyTorch itself: MONAI 1.3.2's
DenseNet with the scenario's weights and input (written by reference.ts beside this file), one training-mode forward,
cross-entropy against the labels and backward, once in float64 (the truth) and once in float32.

Usage (Debian 12: apt-get install python3-torch; MONAI 1.3.2 from shared/vendor on PYTHONPATH):
    python3 make_reference.py IN_DIR OUT_JSON [TRUTH_OUT]
IN_DIR holds weights.safetensors (the state_dict, PyTorch layouts) and input.safetensors (x [N, 1, D, H, W]
float32, labels [N] int64, config in the metadata). OUT_JSON gets, per gradient (tfjs key 'grad.<name>'):
truthRms, and torchFloat32Error, the norm-wise relative error of PyTorch's float32 gradient against the
float64 one, rms(g32 - g64) / max(rms(g64), floor) with floor = 1% of the largest rms(g64) (the measure
of webgpu.test.ts). TRUTH_OUT (optional) gets the float64 gradients rounded to float32, in tfjs layouts
(conv [kd, kh, kw, in, out], linear [in, out]), as safetensors.
"""

import json
import struct
import sys

import numpy as np
import torch
from monai.networks.nets import DenseNet


def read_safetensors(path):
    """{name: numpy array} and the metadata of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    body = data[8 + n :]
    dtypes = {"F32": np.float32, "F64": np.float64, "I64": np.int64}
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype=dtypes[entry["dtype"]]).reshape(entry["shape"]).copy()
    return tensors, header.get("__metadata__", {})


def write_safetensors(path, tensors):
    """Float32 tensors {name: array} as a safetensors file."""
    header, offset, blobs = {}, 0, []
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def gradients(config, state, x, labels, dtype):
    """{tfjs key: gradient in tfjs layout} of one training step's loss, computed in `dtype`."""
    net = DenseNet(spatial_dims=3, in_channels=1, out_channels=2, **config)
    net.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=True)
    net = net.to(dtype).train()
    loss = torch.nn.functional.cross_entropy(net(torch.from_numpy(x).to(dtype)), torch.from_numpy(labels))
    loss.backward()
    out = {}
    for name, p in net.named_parameters():
        g = p.grad.detach().to(torch.float64).numpy()
        if g.ndim == 5:
            g = g.transpose(2, 3, 4, 1, 0)
        elif g.ndim == 2:
            g = g.T
        out["grad." + name] = g
    return out, float(loss)


def rms(a):
    return float(np.sqrt(np.mean(np.square(a, dtype=np.float64))))


def main(in_dir, out_json, truth_out=None):
    torch.manual_seed(0)
    state, _ = read_safetensors(f"{in_dir}/weights.safetensors")
    inputs, meta = read_safetensors(f"{in_dir}/input.safetensors")
    config = json.loads(meta["config"])
    config["block_config"] = tuple(config["block_config"])
    truth, loss64 = gradients(config, state, inputs["x"], inputs["labels"], torch.float64)
    f32, loss32 = gradients(config, state, inputs["x"], inputs["labels"], torch.float32)
    floor = 0.01 * max(rms(g) for g in truth.values())
    tensors = {
        key: {
            "truthRms": rms(g),
            "torchFloat32Error": rms(f32[key] - g) / max(rms(g), floor),
        }
        for key, g in truth.items()
    }
    report = {
        "made_by": "core/backend/webgpu/testing/float64/make_reference.py",
        "torch": torch.__version__,
        "scenario": meta.get("scenario"),
        "loss": {"float64": loss64, "float32": loss32},
        "floor": floor,
        "tensors": tensors,
    }
    with open(out_json, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    if truth_out:
        write_safetensors(truth_out, {k: v.astype(np.float32) for k, v in truth.items()})


if __name__ == "__main__":
    main(*sys.argv[1:])
