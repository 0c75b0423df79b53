"""MONAI 1.3.2's DenseNet121-3D logits with closed-form weights, for the DenseNet121 equivalence tests.

shared/reference ships no full-size DenseNet121 weights (reference.json: "not shipped here"), so the
weights follow formulas that the tests rebuild (core/model/testing/monai121/analyticWeights.ts) and only
MONAI's logits are stored. Entry e (0-based, state_dict order, num_batches_tracked included) with n values,
t = 0..n-1, float64 then float32:
  running_mean   0.1 * sin(0.53 t + e)
  running_var    1 + 0.5 * sin(0.37 t + e)^2
  norm weight    1 + 0.2 * sin(0.71 t + e)
  any bias       0.05 * sin(0.29 t + e)
  conv / linear  sqrt(3 / fan_in) * sin(0.7 t + 0.1 e)      (fan_in = n / out_channels)
Run (Debian 12: apt-get install python3-torch python3-numpy; MONAI 1.3.2 from shared/vendor):
    PYTHONPATH=../shared/vendor/monai-1.3.2 python3 make_reference.py ../shared/reference/monai/input_96.f32
Writes logits.json beside this file.
"""

import json
import os
import sys

import numpy as np
import torch
from monai.networks.nets import DenseNet121

HERE = os.path.dirname(os.path.abspath(__file__))


def values(key, e, shape):
    n = int(np.prod(shape))
    t = np.arange(n, dtype=np.float64)
    if key.endswith("running_mean"):
        v = 0.1 * np.sin(0.53 * t + e)
    elif key.endswith("running_var"):
        v = 1 + 0.5 * np.sin(0.37 * t + e) ** 2
    elif key.endswith("bias"):
        v = 0.05 * np.sin(0.29 * t + e)
    elif len(shape) == 1:
        v = 1 + 0.2 * np.sin(0.71 * t + e)
    else:
        v = np.sqrt(3.0 / (n / shape[0])) * np.sin(0.7 * t + 0.1 * e)
    return v.astype(np.float32).reshape(shape)


def main():
    torch.manual_seed(0)
    net = DenseNet121(spatial_dims=3, in_channels=1, out_channels=2).eval()
    state = net.state_dict()
    new = {}
    for e, (key, tensor) in enumerate(state.items()):
        if tensor.dtype == torch.int64:
            new[key] = tensor
        else:
            new[key] = torch.from_numpy(values(key, e, tuple(tensor.shape)))
    net.load_state_dict(new)
    x = np.fromfile(sys.argv[1], dtype="<f4").reshape(1, 1, 96, 96, 96)
    with torch.no_grad():
        logits = net(torch.from_numpy(x)).numpy()[0]
    out = {
        "what": "MONAI 1.3.2 DenseNet121(spatial_dims=3, in_channels=1, out_channels=2), eval, closed-form weights (make_reference.py), on shared/reference/monai/input_96.f32",
        "torch": torch.__version__,
        "state_dict_entries": len(state),
        "logits": [float(v) for v in logits],
    }
    with open(os.path.join(HERE, "logits.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(out)


if __name__ == "__main__":
    main()
