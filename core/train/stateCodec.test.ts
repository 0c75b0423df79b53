import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from './stateCodec.js';

describe('state codec', () => {
  it('round-trips an Adam-like state with float arrays, dotted keys, maps and non-finite numbers', () => {
    const state = {
      step: 12,
      m: { 'features.conv0.weight': Float32Array.from([1.5, -2, 3e-8]), 'a.b': new Float32Array(0) },
      v: { 'features.conv0.weight': Float32Array.from([0.25, 4, 9]), 'a.b': new Float32Array(0) },
      extra: [null, true, 'x', Infinity, new Map([['k', Float64Array.from([Math.PI])]])],
    };
    const back = decodeState(encodeState(state));
    expect(back).toEqual(state);
    expect((back as { m: Record<string, unknown> }).m['features.conv0.weight']).toBeInstanceOf(Float32Array);
  });

  it('refuses a safetensors file without voxlab state', () => {
    const bytes = encodeState({ a: 1 });
    const text = Buffer.from(bytes).toString('latin1').replace('voxlab_state', 'other_state_');
    expect(() => decodeState(new Uint8Array(Buffer.from(text, 'latin1')))).toThrow(
      expect.objectContaining({ code: 'WEIGHTS_INVALID' }),
    );
  });
});
