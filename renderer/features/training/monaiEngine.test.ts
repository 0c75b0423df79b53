import { describe, expect, it } from 'vitest';
import type { TrainEngines } from '../../../core/api/index.js';
import { monaiButtonLabel, monaiUnavailableLine } from './monaiEngine.js';

const found: TrainEngines = {
  monai: { available: true, python: '/usr/bin/python3', torch: '2.1.0', monai: '1.3.2', cudaDevices: 0, detail: '' },
};

describe('the MONAI engine in the training panel', () => {
  it.each([
    [0, 'Train with MONAI (Python found: /usr/bin/python3, torch 2.1.0, MONAI 1.3.2)'],
    [1, 'Train with MONAI (Python found: /usr/bin/python3, torch 2.1.0, MONAI 1.3.2, 1 GPU)'],
    [4, 'Train with MONAI (Python found: /usr/bin/python3, torch 2.1.0, MONAI 1.3.2, 4 GPUs)'],
  ])('names the Python and %i CUDA devices on the button', (cudaDevices, label) => {
    expect(monaiButtonLabel({ monai: { ...found.monai, cudaDevices } })).toBe(label);
  });

  it('offers no button without MONAI, and says why', () => {
    const missing: TrainEngines = {
      monai: { available: false, python: null, torch: null, monai: null, cudaDevices: 0, detail: 'no usable Python at python3 (not found): install PyTorch and MONAI' },
    };
    expect(monaiButtonLabel(missing)).toBeNull();
    expect(monaiUnavailableLine(missing)).toBe('MONAI engine not available: no usable Python at python3 (not found): install PyTorch and MONAI');
  });
});
