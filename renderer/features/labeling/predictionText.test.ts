// Predictions read as a model's guess with its confidence and model, never as a bare label.

import { describe, expect, it } from 'vitest';
import { predictionShort, predictionText } from './predictionText.js';

describe('predictionText', () => {
  const p = { label: 'M', modelId: 'run-1', createdAt: '2026-12-06T10:00:00Z', probability: 0.874 };
  it('names class, confidence and model', () => {
    expect(predictionText(p, 'en-GB')).toMatch(/^M 87% · model run-1 · /);
    expect(predictionShort(p)).toBe('M? 87%');
  });
  it('leaves the confidence out when the server does not send it', () => {
    const { probability: _, ...old } = p;
    expect(predictionText(old, 'en-GB')).toMatch(/^M · model run-1/);
    expect(predictionShort(old)).toBe('M?');
  });
});
