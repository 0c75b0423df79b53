// The JSON configs of an exported MONAI bundle (Model Zoo layout, MONAI 1.3's bundle syntax: "_target_"
// components, "$" expressions, "@" references): train.json, multi_gpu_train.json (merged over train.json
// under torchrun), inference.json and metadata.json. Training runs the bundle's own plain-PyTorch loop
// (scripts/voxlab_train.py) instead of MONAI's engines, which need pytorch-ignite.

import type { BundlePlan } from './exportPlan.js';

/** A bundle config: plain JSON. */
export type BundleConfig = Record<string, unknown>;

/** Where the configs expect things, relative to the bundle root (see README.md). */
export const BUNDLE_PATHS = {
  datalist: 'configs/datalist.json',
  data: 'data',
  models: 'models',
  trainOutput: 'runs/train',
  inferOutput: 'runs/inference',
} as const;

/** The oldest MONAI whose bundle syntax and transforms the configs were checked with. */
export const MONAI_VERSION = '1.3.2';

/** MONAI's DenseNet arguments of the plan's network, for 1-channel 3D volumes. */
function networkDef(plan: BundlePlan): BundleConfig {
  const n = plan.network;
  return {
    _target_: 'DenseNet',
    spatial_dims: 3,
    in_channels: n.inChannels,
    out_channels: n.outChannels,
    init_features: n.initFeatures,
    growth_rate: n.growthRate,
    block_config: [...n.blockConfig],
    bn_size: n.bnSize,
    dropout_prob: n.dropoutProb,
  };
}

/**
 * The seed pipeline as MONAI dictionary transforms on {"image": path}: LoadImaged (nibabel, the file's voxel
 * axes, no reorientation, float32), EnsureChannelFirstd, ScaleIntensityd (min-max to [0, 1] over the
 * volume), Resized to inputSize^3 in MONAI's default mode 'area', then for training RandRotate90d and
 * RandFlipd as the config asks (core/train/batches.ts augmentVolume, same order).
 */
export function preprocessing(plan: BundlePlan, training: boolean): BundleConfig {
  const s = plan.config.inputSize;
  const transforms: BundleConfig[] = [
    {
      _target_: 'LoadImaged',
      keys: 'image',
      reader: 'NibabelReader',
      image_only: true,
      dtype: '$np.float32',
    },
    { _target_: 'EnsureChannelFirstd', keys: 'image' },
    { _target_: 'ScaleIntensityd', keys: 'image', minv: 0.0, maxv: 1.0 },
    { _target_: 'Resized', keys: 'image', spatial_size: [s, s, s], mode: 'area' },
  ];
  const { rotate90, flip } = plan.config.augment;
  if (training && rotate90 !== null)
    transforms.push({
      _target_: 'RandRotate90d',
      keys: 'image',
      prob: rotate90.prob,
      max_k: rotate90.maxK,
      spatial_axes: [...rotate90.spatialAxes],
    });
  if (training && flip !== null)
    transforms.push({
      _target_: 'RandFlipd',
      keys: 'image',
      prob: flip.prob,
      spatial_axis: flip.spatialAxis === null ? null : [...flip.spatialAxis],
    });
  transforms.push({ _target_: 'EnsureTyped', keys: 'image', track_meta: false });
  return { _target_: 'Compose', transforms };
}

const datalist = (key: string): string =>
  `$monai.data.load_decathlon_datalist(@datalist_file, is_segmentation=False, data_list_key='${key}', base_dir=@data_root)`;

/**
 * configs/train.json: one process on one device (cuda:0 when there is a GPU, else the CPU). Every setting
 * of the plan's TrainConfig is a top-level key, so `--epochs 10` etc. override it at run time.
 */
export function trainConfig(plan: BundlePlan): BundleConfig {
  const c = plan.config;
  return {
    imports: ['$import os', '$import torch', '$import monai'],
    bundle_root: '.',
    data_root: `$@bundle_root + '/${BUNDLE_PATHS.data}'`,
    datalist_file: `$@bundle_root + '/${BUNDLE_PATHS.datalist}'`,
    ckpt_dir: `$@bundle_root + '/${BUNDLE_PATHS.models}'`,
    output_dir: `$@bundle_root + '/${BUNDLE_PATHS.trainOutput}'`,
    device: "$torch.device('cuda:0' if torch.cuda.is_available() else 'cpu')",
    classes: [...plan.classes],
    seed: c.seed,
    epochs: c.epochs,
    batch_size: c.batchSize,
    val_interval: c.valInterval,
    learning_rate: c.learningRate,
    input_size: c.inputSize,
    num_workers: 0,
    network_def: networkDef(plan),
    network: '$@network_def.to(@device)',
    loss: { _target_: 'torch.nn.CrossEntropyLoss' },
    optimizer: {
      _target_: 'torch.optim.Adam',
      params: '$@network.parameters()',
      lr: '@learning_rate',
      betas: [...c.betas],
      eps: c.eps,
      weight_decay: c.weightDecay,
    },
    train: {
      datalist: datalist('training'),
      preprocessing: preprocessing(plan, true),
      dataset: { _target_: 'Dataset', data: '@train#datalist', transform: '@train#preprocessing' },
    },
    validate: {
      datalist: datalist('validation'),
      preprocessing: preprocessing(plan, false),
      dataset: { _target_: 'Dataset', data: '@validate#datalist', transform: '@validate#preprocessing' },
    },
    trainer: {
      _target_: 'scripts.voxlab_train.Trainer',
      network: '@network',
      loss_function: '@loss',
      optimizer: '@optimizer',
      train_dataset: '@train#dataset',
      val_dataset: '@validate#dataset',
      classes: '@classes',
      epochs: '@epochs',
      batch_size: '@batch_size',
      val_interval: '@val_interval',
      seed: '@seed',
      device: '@device',
      bundle_root: '@bundle_root',
      output_dir: '@output_dir',
      ckpt_dir: '@ckpt_dir',
      num_workers: '@num_workers',
    },
    // Seeds torch, numpy and random before anything is built: the initial weights follow from the seed.
    initialize: ['$monai.utils.set_determinism(seed=@seed)'],
    run: ['$@trainer.run()'],
  };
}

/**
 * configs/multi_gpu_train.json, merged over train.json under torchrun: one process per GPU (NCCL), or per
 * CPU process (gloo) when there is no GPU; the network wrapped in DistributedDataParallel.
 */
export function multiGpuTrainConfig(): BundleConfig {
  const cuda = 'torch.cuda.is_available()';
  return {
    device: `$torch.device('cuda:' + os.environ['LOCAL_RANK'] if ${cuda} else 'cpu')`,
    network: `$torch.nn.parallel.DistributedDataParallel(@network_def.to(@device), device_ids=[@device] if ${cuda} else None)`,
    initialize: [
      '$import torch.distributed as dist',
      `$dist.is_initialized() or dist.init_process_group(backend='nccl' if ${cuda} else 'gloo')`,
      `$torch.cuda.set_device(@device) if ${cuda} else None`,
      '$monai.utils.set_determinism(seed=@seed)',
    ],
    run: ['$@trainer.run()'],
    finalize: ['$dist.is_initialized() and dist.destroy_process_group()'],
  };
}

/**
 * configs/inference.json: the trained network (models/model.pt) on a datalist part ('validation' unless
 * `--datalist_key` says otherwise) with the validation preprocessing; writes runs/inference/predictions.jsonl.
 */
export function inferenceConfig(plan: BundlePlan): BundleConfig {
  return {
    imports: ['$import os', '$import torch', '$import monai'],
    bundle_root: '.',
    data_root: `$@bundle_root + '/${BUNDLE_PATHS.data}'`,
    datalist_file: `$@bundle_root + '/${BUNDLE_PATHS.datalist}'`,
    datalist_key: 'validation',
    ckpt_path: `$@bundle_root + '/${BUNDLE_PATHS.models}/model.pt'`,
    output_dir: `$@bundle_root + '/${BUNDLE_PATHS.inferOutput}'`,
    device: "$torch.device('cuda:0' if torch.cuda.is_available() else 'cpu')",
    classes: [...plan.classes],
    batch_size: plan.config.batchSize,
    network_def: networkDef(plan),
    network: '$@network_def.to(@device)',
    preprocessing: preprocessing(plan, false),
    datalist:
      '$monai.data.load_decathlon_datalist(@datalist_file, is_segmentation=False, data_list_key=@datalist_key, base_dir=@data_root)',
    dataset: { _target_: 'Dataset', data: '@datalist', transform: '@preprocessing' },
    predictor: {
      _target_: 'scripts.voxlab_infer.Predictor',
      network: '@network',
      dataset: '@dataset',
      classes: '@classes',
      device: '@device',
      output_dir: '@output_dir',
      batch_size: '@batch_size',
    },
    initialize: ['$@network.load_state_dict(torch.load(@ckpt_path, map_location=@device))'],
    run: ['$@predictor.run()'],
  };
}

/** configs/metadata.json: the Model Zoo's metadata fields for a 3D image classifier. */
export function metadata(plan: BundlePlan, exportedAt: string): BundleConfig {
  const s = plan.config.inputSize;
  const classes = Object.fromEntries(plan.classes.map((c, i) => [String(i), c]));
  return {
    schema:
      'https://github.com/Project-MONAI/MONAI-extra-test-data/releases/download/0.8.1/meta_schema_20220324.json',
    version: '0.1.0',
    changelog: { '0.1.0': `exported by voxlab export-bundle on ${exportedAt}` },
    monai_version: MONAI_VERSION,
    pytorch_version: '1.13.0',
    numpy_version: '1.24.0',
    optional_packages_version: { nibabel: '5.0.0', tensorboard: 'optional' },
    name: 'voxlab 3D classifier',
    task: `3D image classification into ${plan.classes.join(', ')}`,
    description: `A MONAI DenseNet (${plan.config.model} preset) trained from scratch on ${s}^3 inputs, with the recipe and split of voxlab train${plan.runId !== null ? ` run ${plan.runId}` : ''}.`,
    authors: 'voxlab export-bundle',
    copyright: 'the owner of the exported study',
    data_source: 'a voxlab study (images in data/, listed in configs/datalist.json)',
    data_type: 'nifti',
    image_classes: 'single-channel 3D volume, min-max scaled to [0, 1]',
    label_classes: classes,
    pred_classes: classes,
    eval_metrics: { accuracy: null },
    intended_use: 'research only',
    references: ['MONAI densenet_training_array (IXI sex classification tutorial)'],
    network_data_format: {
      inputs: {
        image: {
          type: 'image',
          format: 'magnitude',
          modality: 'MR',
          num_channels: 1,
          spatial_shape: [s, s, s],
          dtype: 'float32',
          value_range: [0, 1],
          is_patch_data: false,
          channel_def: { '0': 'image' },
        },
      },
      outputs: {
        pred: {
          type: 'logits',
          format: 'classes',
          num_channels: plan.classes.length,
          spatial_shape: [1],
          dtype: 'float32',
          value_range: [],
          is_patch_data: false,
          channel_def: classes,
        },
      },
    },
  };
}
