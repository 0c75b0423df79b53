"""Python code of a bundle written by `voxlab export-bundle` (voxlab_train: training; voxlab_infer: inference)."""
