// Import a MONAI ONNX or safetensors model into the study, and export a model's weights as a download.

import type { Json } from '../../../core/api/index.js';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { useTrainStore } from '../../stores/useTrainStore.js';
import { modelFormatOf, parseClasses } from './modelImport.js';
import { refreshModels } from './trainActions.js';

export interface ImportRequest {
  readonly file: File;
  readonly modelId: string;
  readonly classes: string;
  /** DenseNet preset of safetensors weights (ONNX files carry their graph). */
  readonly arch: string;
  readonly inputSize: number;
}

/** Uploads the file; the model list refreshes. Problems land in the training store as words. */
export async function importModel(r: ImportRequest): Promise<boolean> {
  const store = useTrainStore.getState();
  store.setProblem(null);
  const format = modelFormatOf(r.file.name);
  if (format === null) {
    store.setProblem(`${r.file.name}: choose an .onnx, .safetensors or PyTorch .pt/.pth file.`);
    return false;
  }
  try {
    const classes = parseClasses(r.classes);
    const config: Json = format === 'safetensors' ? { arch: r.arch, inputSize: r.inputSize } : { inputSize: r.inputSize };
    await core().models.import({ modelId: r.modelId, format, config, ...(classes !== undefined ? { classes } : {}) }, await r.file.arrayBuffer());
    await refreshModels();
    return true;
  } catch (e) {
    useTrainStore.getState().setProblem(`Import failed: ${describeError(e)}`);
    return false;
  }
}

/** Downloads the model's weights file under its own name. */
export async function exportModel(modelId: string): Promise<void> {
  try {
    const { meta, data } = await core().models.export({ modelId });
    const url = URL.createObjectURL(new Blob([data], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = meta.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    useTrainStore.getState().setProblem(`Export failed: ${describeError(e)}`);
  }
}
