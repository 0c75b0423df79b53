// The stored maps of the open scan (study artifacts: made in the app, with the CLI or through the API), newest
// first: what each explains (and whether that is the predicted and the labeled class), who made it and how;
// picking one shows it as the overlay.

import { useEffect, useState } from 'react';
import { useExplainStore } from '../../stores/useExplainStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { SanityBadge } from './MapSanity.js';
import { describeMap } from './mapParams.js';

export function MapList(props: { imageId: string }): React.JSX.Element {
  const { imageId } = props;
  const maps = useExplainStore((s) => (s.mapsImageId === imageId ? s.maps : null));
  const shownMapId = useExplainStore((s) => s.shownMapId);
  const show = useExplainStore((s) => s.show);
  const label = useStudyStore((s) => s.images.find((i) => i.id === imageId)?.label ?? null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000); // "3 min ago" stays true
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      <h3>Maps of this scan {maps !== null && <span className="muted">({maps.length})</span>}</h3>
      <ul className="maps" data-testid="map-list">
        {maps === null && <li className="muted">Reading the study's maps…</li>}
        {maps?.map((m) => {
          const { title, details } = describeMap(m, now, label);
          return (
            <li
              key={m.id}
              data-map-id={m.id}
              data-source={m.source}
              className={m.id === shownMapId ? 'shown' : ''}
            >
              <label>
                <input
                  type="radio"
                  name="map"
                  checked={m.id === shownMapId}
                  onChange={() => show(m.id)}
                  aria-label={`Show ${title}`}
                />
                <span className="map-title">{title}</span>
              </label>
              <div className="muted small">{details}</div>
              <SanityBadge sanity={m.sanity ?? null} />
            </li>
          );
        })}
        {maps !== null && maps.length === 0 && (
          <li className="muted">
            None yet: run occlusion, Grad-CAM or LayerCAM above (or `voxlab explain --study` on the command line).
          </li>
        )}
      </ul>
    </>
  );
}
