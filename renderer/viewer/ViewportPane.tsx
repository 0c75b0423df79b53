// One view of the MPR layout: the Cornerstone element, its orientation letters, slice position and title.
// Camera changes (scroll, zoom, crosshairs) update the letters and the slice counter.

import { useEffect, useState, type RefObject } from 'react';
import { Enums } from '@cornerstonejs/core';
import { useViewerStore, type ViewName } from '../stores/useViewerStore.js';
import { volumeViewport } from './cornerstone.js';
import { orientationMarkers, type Vec3 } from './orientation.js';

const TITLES: Record<ViewName, string> = { axial: 'Axial', coronal: 'Coronal', sagittal: 'Sagittal' };

export function ViewportPane(props: {
  view: ViewName;
  elementRef: RefObject<HTMLDivElement | null>;
  hidden: boolean;
  onHover: (view: ViewName) => void;
  onPointer: (view: ViewName, x: number, y: number) => void;
  engineVersion: number;
}): React.JSX.Element {
  const { view, elementRef, hidden, onHover, onPointer, engineVersion } = props;
  const [markers, setMarkers] = useState<ReturnType<typeof orientationMarkers> | null>(null);
  const slice = useViewerStore((s) => s.slices[view]);
  const loadedId = useViewerStore((s) => s.loadedId);

  useEffect(() => {
    const element = elementRef.current;
    if (element === null) return;
    const update = () => {
      const vp = volumeViewport(view);
      if (vp === null) return;
      const cam = vp.getCamera();
      if (cam.viewUp !== undefined && cam.viewPlaneNormal !== undefined)
        setMarkers(orientationMarkers(cam.viewUp as unknown as Vec3, cam.viewPlaneNormal as unknown as Vec3));
      const count = vp.getNumberOfSlices();
      if (count > 0) useViewerStore.getState().setSlice(view, vp.getSliceIndex(), count);
    };
    element.addEventListener(Enums.Events.CAMERA_MODIFIED, update);
    element.addEventListener(Enums.Events.VOLUME_NEW_IMAGE, update);
    update();
    return () => {
      element.removeEventListener(Enums.Events.CAMERA_MODIFIED, update);
      element.removeEventListener(Enums.Events.VOLUME_NEW_IMAGE, update);
    };
  }, [view, elementRef, engineVersion, loadedId]);

  return (
    <section className={`viewport-pane${hidden ? ' hidden' : ''}`} data-view={view} aria-label={`${TITLES[view]} view`}>
      <div
        className="viewport-element"
        ref={elementRef}
        onContextMenu={(e) => e.preventDefault()}
        onMouseEnter={() => onHover(view)}
        onMouseMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          onPointer(view, e.clientX - r.left, e.clientY - r.top);
        }}
      />
      <div className="viewport-title">{TITLES[view]}</div>
      {slice !== undefined && loadedId !== null && (
        <div className="viewport-slice" data-testid={`slice-${view}`}>
          {slice.index + 1} / {slice.count}
        </div>
      )}
      {markers !== null && loadedId !== null && (
        <>
          <span className="marker marker-top" data-testid={`marker-${view}-top`}>{markers.top}</span>
          <span className="marker marker-bottom" data-testid={`marker-${view}-bottom`}>{markers.bottom}</span>
          <span className="marker marker-left" data-testid={`marker-${view}-left`}>{markers.left}</span>
          <span className="marker marker-right" data-testid={`marker-${view}-right`}>{markers.right}</span>
        </>
      )}
    </section>
  );
}
