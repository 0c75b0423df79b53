"""Test helper of exportBundle.test.ts: what MONAI and PyTorch make of an exported, trained bundle.

Usage: python3 bundle_check.py BUNDLE_DIR OUT_DIR [WEIGHTS]
Reads the bundle's configs/train.json with MONAI's ConfigParser, runs its validation preprocessing (the seed
transforms without the random ones) on every datalist image and writes each result to OUT_DIR/<n>.f32 (raw
little-endian float32, [1, s, s, s] C order); loads WEIGHTS (default models/model.pt) with torch.load into the
config's network (strict) and writes OUT_DIR/check.json: {"cases": [datalist image paths], "logits":
[[...]], "keys": number of state_dict keys, "prefixed": keys starting with "module."}.
"""

import json
import os
import sys

import numpy as np
import torch
from monai.bundle import ConfigParser


def main(bundle_dir, out_dir, weights=None):
    parser = ConfigParser()
    parser.read_config(os.path.join(bundle_dir, "configs", "train.json"))
    parser["bundle_root"] = bundle_dir
    parser["device"] = "$torch.device('cpu')"
    parser.parse()
    transform = parser.get_parsed_content("validate#preprocessing")
    with open(os.path.join(bundle_dir, "configs", "datalist.json")) as f:
        datalist = json.load(f)
    cases = [e["image"] for e in datalist["training"] + datalist["validation"]]
    data_root = parser.get_parsed_content("data_root")
    inputs = []
    for k, case in enumerate(cases):
        x = transform({"image": os.path.join(data_root, case)})["image"]
        x = torch.as_tensor(x).float()
        np.ascontiguousarray(x.numpy(), dtype="<f4").tofile(os.path.join(out_dir, f"{k}.f32"))
        inputs.append(x)
    state = torch.load(weights or os.path.join(bundle_dir, "models", "model.pt"), map_location="cpu")
    net = parser.get_parsed_content("network_def")
    net.load_state_dict(state, strict=True)
    net.eval()
    with torch.no_grad():
        logits = net(torch.stack(inputs)).double().tolist()
    report = {
        "cases": cases,
        "logits": logits,
        "keys": len(state),
        "prefixed": sum(1 for k in state if k.startswith("module.")),
    }
    with open(os.path.join(out_dir, "check.json"), "w") as f:
        json.dump(report, f)


if __name__ == "__main__":
    main(*sys.argv[1:])
