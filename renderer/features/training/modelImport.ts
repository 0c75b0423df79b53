// Model import settings from what the user picked: the weights format from the file name, the model id
// (from the name unless given), classes from a comma-separated list.

/** 'onnx', 'safetensors' or 'pytorch' (.pt, .pth: a torch.save zip) from a file name, null for anything else. */
export function modelFormatOf(fileName: string): 'onnx' | 'safetensors' | 'pytorch' | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.onnx')) return 'onnx';
  if (lower.endsWith('.safetensors')) return 'safetensors';
  if (lower.endsWith('.pt') || lower.endsWith('.pth')) return 'pytorch';
  return null;
}

/** A model id from a file name: letters, digits, '-', '_' and '.', other characters as '-'. */
export function modelIdFrom(fileName: string): string {
  const base = fileName.replace(/\.(onnx|safetensors|pt|pth)$/i, '');
  return base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'imported-model';
}

/** Class names from "F, M" (empty entries dropped); undefined when none are given. */
export function parseClasses(text: string): string[] | undefined {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return names.length > 0 ? names : undefined;
}
