// Maps in words: parameters, titles with the explained and predicted class, age, unit of the values.

import { describe, expect, it } from 'vitest';
import type { MapSummary } from '../../../core/api/index.js';
import { describeMap, describeMapParams, mapUnit, whenMade } from './mapParams.js';

describe('describeMapParams', () => {
  it('lists the settings and the peak, not the probabilities', () => {
    expect(
      describeMapParams({ maskSize: 8, overlap: 0.25, slice: [1, 15], probabilities: [0.4, 0.6], peak: { voxel: [77, 58, 58] } }),
    ).toBe('mask 8 · overlap 0.25 · slice axis 1 #15 · peak voxel 77, 58, 58');
  });
  it('gives the centroid of tied maxima and their count, or says there is no positive evidence', () => {
    expect(
      describeMapParams({ layer: 'features.transition3.relu', peak: { voxel: [0, 0, 0], centroidVoxel: [7.5, 7.25, 3], voxelCount: 64 } }),
    ).toBe('layer features.transition3.relu · peak voxel 7.5, 7.3, 3 (64 tied voxels)');
    expect(describeMapParams({ maskSize: 8, peak: null, evidence: 'no positive evidence' })).toBe('mask 8 · no positive evidence');
    expect(describeMapParams({ peak: null })).toBe('no positive evidence');
  });
  it('is empty for anything but an object', () => {
    expect(describeMapParams(null)).toBe('');
    expect(describeMapParams([1, 2])).toBe('');
  });
});

const map = (over: Partial<MapSummary> = {}): MapSummary => ({
  id: 'map-1',
  imageId: 'a',
  modelId: 'tiny',
  method: 'occlusion',
  classIndex: 1,
  className: 'M',
  predictedClass: 'M',
  params: { maskSize: 8, overlap: 0.25 },
  source: 'cli',
  createdAt: '2025-03-01T10:00:00Z',
  min: -0.1,
  max: 0.2,
  durationMs: 3200,
  sanity: null,
  ...over,
});
const NOW = Date.parse('2025-03-01T10:05:30Z');

describe('describeMap', () => {
  it('says method, class, source, age, duration and settings', () => {
    expect(describeMap(map(), NOW)).toEqual({
      title: 'Occlusion · M (the predicted class)',
      details: 'model tiny · made with the CLI · 5 min ago · took 3.2 s · mask 8 · overlap 0.25',
    });
  });
  it.each([
    [{ className: 'F' }, 'Occlusion · F (model predicted M)'],
    [{ className: null, predictedClass: null, classIndex: 2, method: 'gradcam' as const }, 'Grad-CAM · class #2'],
  ])('titles %j', (over, title) => {
    expect(describeMap(map(over), NOW).title).toBe(title);
  });
  it.each([
    ['the labeled class', { className: 'lesion', predictedClass: 'lesion' }, 'lesion', 'Occlusion · lesion (the predicted class) · the labeled class'],
    ['a scan labeled otherwise', { className: 'lesion', predictedClass: 'control' }, 'control', 'Occlusion · lesion (model predicted control) · scan labeled control'],
    ['an unlabeled scan', { className: 'lesion' }, null, 'Occlusion · lesion (model predicted M)'],
    ['a class known by index only', { className: null, predictedClass: null, classIndex: 1 }, 'lesion', 'Occlusion · class #1'],
  ] as const)('titles with the label: %s', (_, over, label, title) => {
    expect(describeMap(map(over), NOW, label).title).toBe(title);
  });
  it.each([
    ['2025-03-01T10:05:00Z', 'just now'],
    ['2025-03-01T07:00:00Z', '3 h ago'],
    ['not a date', 'not a date'],
  ])('ages %s as %s', (createdAt, text) => {
    expect(whenMade(createdAt, NOW)).toBe(text);
  });
  it.each([
    [map(), 'drop in probability when the region is hidden'],
    [map({ params: { view: 'probability', activation: 'monai' } }), 'sigmoid output with the region hidden'],
    [map({ method: 'gradcam++' }), 'relative importance (0 = none, 1 = most)'],
  ])('unit of %#', (m, unit) => {
    expect(mapUnit(m)).toBe(unit);
  });
});
