import { describe, expect, it } from 'vitest';
import { modelFormatOf, modelIdFrom, parseClasses } from './modelImport.js';

describe('model import helpers', () => {
  it.each([
    ['densenet.onnx', 'onnx'],
    ['MONAI_Model.SafeTensors', 'safetensors'],
    ['model.pt', 'pytorch'],
    ['epoch_9.PTH', 'pytorch'],
    ['weights.bin', null],
  ] as const)('%s -> %s', (name, format) => {
    expect(modelFormatOf(name)).toBe(format);
  });
  it('makes ids from file names', () => {
    expect(modelIdFrom('IXI DenseNet (v2).onnx')).toBe('IXI-DenseNet-v2');
    expect(modelIdFrom('.onnx')).toBe('imported-model');
    expect(modelIdFrom('model.pt')).toBe('model');
  });
  it('parses class lists', () => {
    expect(parseClasses(' F, M ,')).toEqual(['F', 'M']);
    expect(parseClasses('  ')).toBeUndefined();
  });
});
