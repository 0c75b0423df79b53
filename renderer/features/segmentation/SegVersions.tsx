// The open scan's labelmap versions (newest first): who saved each, when, what it was (the note), how many
// voxels it paints; preview one in the views, restore one (saved as a new version, history kept).

import { useEffect, useState } from 'react';
import type { LabelmapVersion } from '../../../core/api/index.js';
import { useSegmentationStore } from '../../stores/useSegmentationStore.js';
import { closePreview, knownVoxelCount, previewVersion, voxelCount } from './segHistory.js';
import { restoreVersion } from './segRestore.js';

/** Rows shown before "Show all" (each row fetches its version once to count its voxels). */
const SHOWN = 8;

function VoxelCell(props: { imageId: string; version: number }): React.JSX.Element {
  const { imageId, version } = props;
  const [count, setCount] = useState(knownVoxelCount(imageId, version));
  useEffect(() => {
    let live = true;
    voxelCount(imageId, version).then(
      (n) => live && setCount(n),
      () => live && setCount(undefined),
    );
    return () => {
      live = false;
    };
  }, [imageId, version]);
  return <td className="num">{count === undefined ? '…' : count.toLocaleString('en')}</td>;
}

/** The time of day for today's saves, else the date and time. */
function savedAt(iso: string): string {
  const t = new Date(iso);
  return t.toDateString() === new Date().toDateString() ? t.toLocaleTimeString() : t.toLocaleString();
}

function VersionRow(props: { v: LabelmapVersion; current: boolean; previewing: boolean }): React.JSX.Element {
  const { v, current, previewing } = props;
  return (
    <tr data-version={v.version} className={previewing ? 'active' : ''}>
      <td className="num">
        {v.version}
        {current && <span className="muted small"> current</span>}
      </td>
      <td>
        {v.author}{' '}
        <span className="muted small" title={v.createdAt}>
          {savedAt(v.createdAt)}
        </span>
        {v.note !== null && <div className="muted small">{v.note}</div>}
      </td>
      <VoxelCell imageId={v.imageId} version={v.version} />
      <td>
        <div className="row-actions">
          <button
            onClick={() => void (previewing ? closePreview() : previewVersion(v.version))}
            aria-pressed={previewing}
          >
            {previewing ? 'Close' : 'Preview'}
          </button>
          <button
            onClick={() => void restoreVersion(v.version)}
            disabled={current}
            title="Save this version's voxels as a new version"
          >
            Restore
          </button>
        </div>
      </td>
    </tr>
  );
}

export function SegVersions(): React.JSX.Element {
  const history = useSegmentationStore((s) => s.history);
  const current = useSegmentationStore((s) => s.version);
  const preview = useSegmentationStore((s) => s.preview);
  const [all, setAll] = useState(false);
  const previewed = history.find((v) => v.version === preview);
  return (
    <section className="seg-versions" data-testid="seg-versions">
      <h3>Labelmap versions</h3>
      {previewed !== undefined && (
        <div className="seg-preview-bar" role="status" data-testid="seg-preview">
          Previewing version {previewed.version} by {previewed.author}; painting is off.
          <button
            onClick={() => void restoreVersion(previewed.version)}
            disabled={previewed.version === current}
          >
            Restore this version
          </button>
          <button onClick={closePreview}>Close preview</button>
        </div>
      )}
      {history.length === 0 ? (
        <p className="muted small">No saved versions yet: every stroke is saved as one.</p>
      ) : (
        <table className="seg-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Who, when, what</th>
              <th>Voxels</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(all ? history : history.slice(0, SHOWN)).map((v) => (
              <VersionRow
                key={v.version}
                v={v}
                current={v.version === current}
                previewing={v.version === preview}
              />
            ))}
          </tbody>
        </table>
      )}
      {history.length > SHOWN && (
        <button className="link" onClick={() => setAll(!all)}>
          {all ? `Show the newest ${SHOWN}` : `Show all ${history.length} versions`}
        </button>
      )}
    </section>
  );
}
