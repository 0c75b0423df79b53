// The segment table (Slicer's Segment Editor list): per labelmap value its name and colour (saved in the
// study for every reader), visibility and opacity (this screen only), voxel count and volume in mm³. The
// active row is the value the brush paints.

import { useEffect, useRef, useState } from 'react';
import type { SegmentInfo } from '../../../core/api/index.js';
import { lookOf, useSegmentationStore } from '../../stores/useSegmentationStore.js';
import { currentLabelmap } from '../../viewer/labelmap.js';
import { segmentColour } from '../../viewer/segColours.js';
import { freeSegmentValue, saveSegment } from './segSegments.js';

/** Values shown as rows: 1 (the default segment), named ones, painted ones and the active one, ascending. */
function rowValues(segments: readonly SegmentInfo[], counts: readonly number[], active: number): number[] {
  const values = new Set<number>([1, active, ...segments.map((s) => s.value)]);
  counts.forEach((n, v) => v > 0 && n > 0 && values.add(v));
  return [...values].sort((a, b) => a - b);
}

/** A colour swatch saved when the reader stops picking (the picker fires on every move). */
function ColourSwatch(props: { value: number; colour: string }): React.JSX.Element {
  const [colour, setColour] = useState(props.colour);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => setColour(props.colour), [props.colour]);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <input
      type="color"
      aria-label={`Colour of segment ${props.value}`}
      value={colour}
      onChange={(e) => {
        const next = e.target.value;
        setColour(next);
        clearTimeout(timer.current);
        timer.current = setTimeout(() => void saveSegment(props.value, { colour: next }), 300);
      }}
    />
  );
}

function SegmentRow(props: {
  value: number;
  named: SegmentInfo | undefined;
  count: number;
  voxelMm3: number;
}): React.JSX.Element {
  const { value, named, count, voxelMm3 } = props;
  const active = useSegmentationStore((s) => s.label === value);
  const look = useSegmentationStore((s) => lookOf(s.looks, value));
  const segments = useSegmentationStore((s) => s.segments);
  const name = named?.name ?? `Segment ${value}`;
  const colour = segmentColour(segments, value);
  const commitName = (input: HTMLInputElement) => {
    const next = input.value.trim();
    if (next === name) return;
    if (next === '') input.value = name;
    void saveSegment(value, { name: next });
  };
  return (
    <tr className={active ? 'active' : ''} data-segment={value} aria-selected={active}>
      <td>
        <input
          type="radio"
          name="active-segment"
          aria-label={`Paint segment ${value}`}
          checked={active}
          onChange={() => useSegmentationStore.getState().setLabel(value)}
        />
      </td>
      <td className="num">{value}</td>
      <td>
        <input
          key={`${value}:${name}`}
          className="seg-name"
          aria-label={`Name of segment ${value}`}
          defaultValue={name}
          onBlur={(e) => commitName(e.currentTarget)}
          onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
        />
      </td>
      <td>
        <ColourSwatch value={value} colour={colour} />
      </td>
      <td>
        <input
          type="checkbox"
          aria-label={`Show segment ${value}`}
          checked={look.visible}
          onChange={(e) => useSegmentationStore.getState().setLook(value, { visible: e.target.checked })}
        />
      </td>
      <td>
        <input
          type="range"
          min={0}
          max={100}
          aria-label={`Opacity of segment ${value}`}
          value={Math.round(look.opacity * 100)}
          onChange={(e) =>
            useSegmentationStore.getState().setLook(value, { opacity: Number(e.target.value) / 100 })
          }
        />
      </td>
      <td className="num" data-testid={`seg-voxels-${value}`} data-voxels={count}>
        {count.toLocaleString('en')}
        <span className="muted small">
          {' '}
          · {(count * voxelMm3).toLocaleString('en', { maximumFractionDigits: 0 })} mm³
        </span>
      </td>
    </tr>
  );
}

export function SegmentTable(): React.JSX.Element {
  const segments = useSegmentationStore((s) => s.segments);
  const counts = useSegmentationStore((s) => s.counts);
  const label = useSegmentationStore((s) => s.label);
  useSegmentationStore((s) => s.imageId);
  const spacing = currentLabelmap()?.geometry.spacing ?? [0, 0, 0];
  const voxelMm3 = spacing[0] * spacing[1] * spacing[2];
  const add = async () => {
    const value = freeSegmentValue(rowValues(segments, counts, label));
    if (value === null)
      return useSegmentationStore.getState().setProblem('All 255 segment values are in use.');
    if (await saveSegment(value, { name: `Segment ${value}`, colour: segmentColour([], value) }))
      useSegmentationStore.getState().setLabel(value);
  };
  return (
    <div className="seg-table-wrap">
      <table className="seg-table" data-testid="seg-table">
        <thead>
          <tr>
            <th title="Active segment (the brush paints it)" aria-label="Paint" />
            <th>#</th>
            <th>Name</th>
            <th>Colour</th>
            <th title="Show">Show</th>
            <th>Opacity</th>
            <th title="Voxels, and volume in mm³">Voxels</th>
          </tr>
        </thead>
        <tbody>
          {rowValues(segments, counts, label).map((v) => (
            <SegmentRow
              key={v}
              value={v}
              named={segments.find((s) => s.value === v)}
              count={counts[v] ?? 0}
              voxelMm3={voxelMm3}
            />
          ))}
        </tbody>
      </table>
      <button onClick={() => void add()}>Add segment</button>
    </div>
  );
}
