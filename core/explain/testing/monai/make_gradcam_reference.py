"""Reference Grad-CAM / Grad-CAM++ maps from MONAI 1.3.2, for gradCamMonai.test.ts.

Run (Debian 12 python3-torch, MONAI 1.3.2's source on PYTHONPATH):
    PYTHONPATH=/path/to/MONAI-1.3.2 python3 make_gradcam_reference.py
Model: the tiny MONAI DenseNet of shared/reference/monai (densenet_tiny.safetensors, read here without the
safetensors package), eval mode, on a 64^3 input given by a closed formula the test rebuilds. Target layer
class_layers.relu (a 2^3 map). Stores, per method and class, MONAI's compute_map (the layer map) and the
upsampled map without MONAI's flipping normaliser (postprocessing = identity), as float32 in gradcam.json.
"""

import json
import os
import struct

import numpy as np
import torch
from monai.networks.nets import DenseNet
from monai.visualize import GradCAM, GradCAMpp

HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS = os.path.join(HERE, "../../../../../shared/reference/monai/densenet_tiny.safetensors")
N = 64


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = raw[8 + n :]
    out = {}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        dtype = {"F32": np.float32, "I64": np.int64}[info["dtype"]]
        lo, hi = info["data_offsets"]
        out[key] = torch.from_numpy(np.frombuffer(data[lo:hi], dtype=dtype).reshape(info["shape"]).copy())
    return out


def volume():
    """x[i, j, k] = 0.5 + 0.5 sin(0.21 i + 0.13 j - 0.17 k) cos(0.05 (i + 2 j + 3 k))."""
    i, j, k = np.meshgrid(*(np.arange(N),) * 3, indexing="ij")
    return (0.5 + 0.5 * np.sin(0.21 * i + 0.13 * j - 0.17 * k) * np.cos(0.05 * (i + 2 * j + 3 * k))).astype(np.float32)


def main():
    torch.set_num_threads(1)
    model = DenseNet(spatial_dims=3, in_channels=1, out_channels=2, init_features=8, growth_rate=4, block_config=(2, 2, 2, 2), bn_size=2)
    model.load_state_dict(read_safetensors(WEIGHTS))
    model.eval()
    x = torch.from_numpy(volume())[None, None]
    result = {"monai": "1.3.2", "torch": torch.__version__, "size": N, "logits": model(x).detach()[0].tolist(), "maps": []}
    for name, cls in (("gradcam", GradCAM), ("gradcam++", GradCAMpp)):
        cam = cls(nn_module=model, target_layers="class_layers.relu", postprocessing=lambda m: m)
        for class_idx in (0, 1):
            layer = cam.compute_map(x, class_idx=class_idx)
            up = cam(x, class_idx=class_idx)
            result["maps"].append(
                {
                    "method": name,
                    "class": class_idx,
                    "layer": layer.detach()[0, 0].flatten().tolist(),
                    "upsampled_min": float(up.min()),
                    "upsampled_max": float(up.max()),
                    # every 251st voxel of the upsampled map (C order), enough to check the interpolation
                    "upsampled_every251": up.detach()[0, 0].flatten()[::251].tolist(),
                }
            )
    with open(os.path.join(HERE, "gradcam.json"), "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
