import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { describeDenseNet } from './densenet.js';
import { countParameters, segmentsOf, stateEntries } from './graph.js';

const REFERENCE = new URL('../../../shared/reference/monai/', import.meta.url);
type KeyTable = Record<string, { dtype: string; shape: number[] }>;
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, REFERENCE), 'utf8'));

describe('describeDenseNet', () => {
  const d121 = describeDenseNet();

  it('has MONAI DenseNet121 state_dict keys, order, dtypes and shapes (727 keys)', () => {
    const reference = readJson('densenet121_state_dict_keys.json') as KeyTable;
    const ours = stateEntries(d121).map((e) => [e.key, { dtype: e.dtype, shape: [...e.shape] }]);
    expect(ours).toHaveLength(727);
    expect(ours).toEqual(Object.entries(reference));
  });

  it('has 11,244,674 parameters for 1 input channel and 2 classes (buffers not counted)', () => {
    expect(countParameters(d121)).toBe(11_244_674);
  });

  it('has the shapes MONAI.md lists for 1x96^3', () => {
    const shape = (name: string) => d121.nodes.find((n) => n.name === name)!.outputShape;
    expect(shape('features.conv0')).toEqual([64, 48, 48, 48]);
    expect(shape('features.pool0')).toEqual([64, 24, 24, 24]);
    expect(shape('features.denseblock1.denselayer6.cat')).toEqual([256, 24, 24, 24]);
    expect(shape('features.transition1.pool')).toEqual([128, 12, 12, 12]);
    expect(shape('features.transition3.pool')).toEqual([512, 3, 3, 3]);
    expect(shape('class_layers.relu')).toEqual([1024, 3, 3, 3]);
    expect(shape(d121.output)).toEqual([2]);
  });

  it('splits into stem, 58 dense layers, 3 transitions and a head, each with one input', () => {
    const segments = segmentsOf(d121);
    expect(segments).toHaveLength(1 + 58 + 3 + 1);
    expect(segments.map((s) => s.name).slice(0, 3)).toEqual([
      'stem',
      'features.denseblock1.denselayer1',
      'features.denseblock1.denselayer2',
    ]);
    expect(segments[1]!.input).toBe('features.pool0');
    expect(segments[7]!).toMatchObject({
      name: 'features.transition1',
      input: 'features.denseblock1.denselayer6.cat',
    });
    expect(segments.at(-1)!).toMatchObject({ name: 'head', output: 'class_layers.out' });
    expect(segments.flatMap((s) => s.nodes)).toEqual(d121.nodes);
  });

  it('matches the tiny reference model (127 keys, 11,146 parameters)', () => {
    const tiny = describeDenseNet(
      { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 },
      [32, 32, 32],
    );
    const reference = readJson('reference.json') as {
      densenet_tiny: { params: number; state_dict_keys: number };
    };
    expect(countParameters(tiny)).toBe(reference.densenet_tiny.params);
    expect(stateEntries(tiny)).toHaveLength(reference.densenet_tiny.state_dict_keys);
  });

  it('uses MONAI initialisers: Kaiming-normal conv (fan_in), BN 1/0, Linear U(+-1/sqrt(in)) and bias 0', () => {
    const byKey = new Map(stateEntries(d121).map((e) => [e.key, e]));
    expect(byKey.get('features.conv0.weight')!.init).toEqual({
      kind: 'kaimingNormal',
      fanIn: 343,
      std: Math.sqrt(2 / 343),
    });
    expect(byKey.get('features.norm0.weight')!.init).toEqual({ kind: 'constant', value: 1 });
    expect(byKey.get('features.norm0.running_var')!.init).toEqual({ kind: 'constant', value: 1 });
    expect(byKey.get('class_layers.out.weight')!.init).toEqual({ kind: 'uniform', bound: 1 / 32 });
    expect(byKey.get('class_layers.out.bias')!.init).toEqual({ kind: 'constant', value: 0 });
  });

  it('adds a parameter-free dropout node per dense layer when dropoutProb > 0', () => {
    const d = describeDenseNet({ dropoutProb: 0.2 });
    expect(d.nodes.filter((n) => n.op === 'dropout')).toHaveLength(58);
    expect(countParameters(d)).toBe(11_244_674);
  });

  it.each([
    [{ growthRate: 0 }, [96, 96, 96], /growthRate must be a positive integer/],
    [{ blockConfig: [] }, [96, 96, 96], /blockConfig must be a non-empty list/],
    [{ dropoutProb: 1 }, [96, 96, 96], /dropoutProb must be in \[0, 1\)/],
    [{}, [96, 96], /inputSize must be three positive integers/],
    [{}, [16, 96, 96], /features\.transition3\.pool: a 2\^3 window .* does not fit 1 voxels/],
  ])('rejects %j on %j with MODEL_INVALID', (config, size, message) => {
    let caught: unknown;
    try {
      describeDenseNet(config, size);
    } catch (e) {
      caught = e;
    }
    expect(isVoxlabError(caught) && caught.code).toBe('MODEL_INVALID');
    expect((caught as Error).message).toMatch(message);
  });
});
