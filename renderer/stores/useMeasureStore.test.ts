// The measurement store: drafts become numbered measurements, which belong to one scan.

import { beforeEach, describe, expect, it } from 'vitest';
import { useMeasureStore, type Draft } from './useMeasureStore.js';

const DRAFT: Draft = { kind: 'length', view: 'axial', a: [0, 0, 0], b: [0, 0, 0], viewUp: [0, -1, 0], normal: [0, 0, 1] };

describe('useMeasureStore', () => {
  beforeEach(() => useMeasureStore.getState().reset());

  it('numbers committed drafts and deletes one by id', () => {
    const s = useMeasureStore.getState();
    s.forImage('scan-a');
    s.startDraft(DRAFT);
    s.moveDraft([10, 0, 0]);
    s.commitDraft();
    s.startDraft({ ...DRAFT, kind: 'ellipse' });
    s.commitDraft();
    let items = useMeasureStore.getState().items;
    expect(items.map((m) => [m.id, m.kind])).toEqual([[1, 'length'], [2, 'ellipse']]);
    expect(items[0]!.b).toEqual([10, 0, 0]);
    useMeasureStore.getState().remove(1);
    items = useMeasureStore.getState().items;
    expect(items.map((m) => m.id)).toEqual([2]);
    expect(useMeasureStore.getState().draft).toBeNull();
  });

  it('drops the measurements when another scan opens, keeps them for the same scan', () => {
    const s = useMeasureStore.getState();
    s.forImage('scan-a');
    s.startDraft(DRAFT);
    s.commitDraft();
    s.forImage('scan-a');
    expect(useMeasureStore.getState().items).toHaveLength(1);
    s.forImage('scan-b');
    expect(useMeasureStore.getState().items).toHaveLength(0);
    s.startDraft(DRAFT);
    s.commitDraft();
    expect(useMeasureStore.getState().items[0]!.id).toBe(1);
    s.forImage(null);
    expect(useMeasureStore.getState().items).toHaveLength(0);
  });

  it('choosing a tool drops a half-drawn measurement', () => {
    useMeasureStore.getState().startDraft(DRAFT);
    useMeasureStore.getState().setTool('rectangle');
    expect(useMeasureStore.getState().draft).toBeNull();
    expect(useMeasureStore.getState().tool).toBe('rectangle');
  });
});
