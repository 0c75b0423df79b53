// The other two views' planes drawn as lines across this view (linked crosshairs), recomputed whenever a
// camera moves.

import { VIEWS, type ViewName } from '../stores/useViewerStore.js';
import { volumeViewport } from './cornerstone.js';
import { PLANE_COLORS, planeIntersection } from './crosshair.js';
import type { Vec3 } from './orientation.js';

export function CrosshairLines(props: { view: ViewName; version: number }): React.JSX.Element | null {
  const vp = volumeViewport(props.view);
  if (vp === null) return null;
  const normal = vp.getCamera().viewPlaneNormal as unknown as Vec3 | undefined;
  if (normal === undefined) return null;
  const lines = VIEWS.filter((v) => v !== props.view).flatMap((other) => {
    const cam = volumeViewport(other)?.getCamera();
    if (cam?.focalPoint === undefined || cam.viewPlaneNormal === undefined) return [];
    const ends = planeIntersection(cam.focalPoint as unknown as Vec3, cam.viewPlaneNormal as unknown as Vec3, normal);
    if (ends === null) return [];
    const [a, b] = ends.map((p) => vp.worldToCanvas([p[0], p[1], p[2]]));
    return [{ other, a: a!, b: b! }];
  });
  return (
    <svg className="crosshair-lines" data-version={props.version} aria-hidden="true">
      {lines.map(({ other, a, b }) => (
        <line key={other} x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} stroke={PLANE_COLORS[other]} strokeWidth={1} strokeOpacity={0.8} />
      ))}
    </svg>
  );
}
