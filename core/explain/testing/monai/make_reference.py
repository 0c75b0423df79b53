"""Reference occlusion maps from MONAI 1.3.2's OcclusionSensitivity, for occlusionMonai.test.ts.

Run (Debian 12: apt-get install python3-torch python3-numpy; MONAI 1.3.2's source on PYTHONPATH):
    PYTHONPATH=/path/to/MONAI-1.3.2 python3 make_reference.py
Writes cases.json and one little-endian float32 file per case (MONAI's map [classes, *b_box size], C order).
The model is linear (flatten -> Linear), its weights and the input follow closed formulas that the test
rebuilds, so only MONAI's outputs are stored.
"""

import json
import math
import os

import numpy as np
import torch
from monai.visualize import OcclusionSensitivity

HERE = os.path.dirname(os.path.abspath(__file__))
SPATIAL = (12, 14, 16)


def volume(channels, spatial):
    """x[c, i, j, k] = 0.5 + 0.4 * sin(0.7 i + 1.1 j + 1.7 k + 0.3 c) * cos(0.2 (i - j + 2 k))."""
    c, i, j, k = np.meshgrid(*(np.arange(n) for n in (channels, *spatial)), indexing="ij")
    x = 0.5 + 0.4 * np.sin(0.7 * i + 1.1 * j + 1.7 * k + 0.3 * c) * np.cos(0.2 * (i - j + 2 * k))
    return x.astype(np.float32)


def weights(channels, classes, spatial):
    """w[q, v] = 0.02 * sin(0.013 v + 1.9 q) over the flattened [channels, *spatial] input, bias[q] = 0.1 q - 0.2."""
    n = channels * math.prod(spatial)
    v = np.arange(n)[None, :]
    q = np.arange(classes)[:, None]
    return (0.02 * np.sin(0.013 * v + 1.9 * q)).astype(np.float32), (0.1 * np.arange(classes) - 0.2).astype(np.float32)


CASES = [
    {"name": "gaussian_mask6_overlap025", "channels": 1, "mask": 6, "overlap": 0.25, "mode": "gaussian", "b_box": None},
    {"name": "gaussian_mask5_overlap06_slice", "channels": 1, "mask": 5, "overlap": 0.6, "mode": "gaussian", "b_box": [6, 7, -1, -1, -1, -1]},
    {"name": "mean_img_mask4_box", "channels": 1, "mask": 4, "overlap": 0.5, "mode": "mean_img", "b_box": [2, 9, 3, -1, -1, 10]},
    {"name": "value_aniso_overlap0", "channels": 1, "mask": [3, 4, 5], "overlap": 0.0, "mode": 0.3, "b_box": None},
    {"name": "gaussian_2channels_softmax", "channels": 2, "mask": 6, "overlap": 0.4, "mode": "gaussian", "b_box": [-1, -1, 4, 5, -1, -1]},
    # The IXI tutorial's figure: 96^3, mask 12, one slice, MONAI 1.3.2's default overlap 0.25 (121 windows).
    {"name": "tutorial_96_mask12_slice48", "channels": 1, "mask": 12, "overlap": 0.25, "mode": "gaussian", "b_box": [48, 49, -1, -1, -1, -1], "spatial": [96, 96, 96]},
]


def main():
    torch.set_num_threads(1)
    out = []
    for case in CASES:
        ch = case["channels"]
        spatial = tuple(case.get("spatial", SPATIAL))
        w, b = weights(ch, 2, spatial)
        model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(w.shape[1], 2))
        with torch.no_grad():
            model[1].weight.copy_(torch.from_numpy(w))
            model[1].bias.copy_(torch.from_numpy(b))
        occ = OcclusionSensitivity(model, mask_size=case["mask"], n_batch=7, verbose=False, mode=case["mode"], overlap=case["overlap"])
        x = torch.from_numpy(volume(ch, spatial))[None]
        occ_map, most_probable = occ(x, b_box=case["b_box"])
        arr = occ_map[0].detach().numpy().astype("<f4")
        arr.tofile(os.path.join(HERE, case["name"] + ".f32"))
        out.append({**case, "spatial": list(spatial), "shape": list(arr.shape)})
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump({"monai": "1.3.2", "torch": torch.__version__, "cases": out}, f, indent=1)


if __name__ == "__main__":
    main()
