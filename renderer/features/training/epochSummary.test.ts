// The starred epoch (the core's choice once known) and the validation size beside validation metrics.

import { describe, expect, it } from 'vitest';
import { epochRow } from '../../stores/useTrainStore.js';
import { bestEpoch, valSize } from './epochSummary.js';

const row = (epoch: number, accuracy: number | null, n: number | null) =>
  epochRow(epoch, {
    train: { loss: 1, accuracy: 0.5, n: 6 },
    val: accuracy === null ? null : { loss: 1, accuracy, n, auc: null },
  });

describe('epoch summaries', () => {
  const rows = [row(1, 0.5, 2), row(2, null, null), row(3, 1, 2), row(4, 1, 2)];
  it.each([
    ['first highest validation accuracy', null, 3],
    ["the core's best epoch", { bestEpoch: 4 }, 4],
    ['a best epoch not among the rows is ignored', { bestEpoch: 9 }, 3],
  ])('%s', (_, metrics, epoch) => {
    expect(bestEpoch(rows, metrics)).toBe(epoch);
  });
  it('has no best epoch without validation', () => {
    expect(bestEpoch([row(1, null, null)], null)).toBeNull();
  });
  it.each([
    [rows, 'n = 2'],
    [[row(1, 0.5, 2), row(2, 0.5, 3)], 'n = 2–3'],
    [[row(1, null, null)], ''],
  ])('valSize %#: %s', (r, text) => {
    expect(valSize(r)).toBe(text);
  });
});
