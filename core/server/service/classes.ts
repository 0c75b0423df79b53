// Handlers of the study's classes and segments: names, colours, shortcut keys. Changes publish
// `classes.changed` / `segments.changed`; a class rename also publishes `label.changed` for every image
// whose label it moved to the new name (a new version, history kept).

import type { ClassInfo, SegmentInfo } from '../../api/index.js';
import type { ClassRecord, SegmentRecord } from '../../datastore/index.js';
import type { Handlers, ServiceContext } from './context.js';

type ClassHandlers = Pick<
  Handlers,
  'labels.classes' | 'classes.list' | 'classes.add' | 'classes.update' | 'segments.list' | 'segments.set'
>;

export const classInfo = (c: ClassRecord): ClassInfo => ({
  name: c.name,
  colour: c.colour,
  key: c.key,
  position: c.position,
  count: c.count,
});

export const segmentInfo = (s: SegmentRecord): SegmentInfo => ({
  value: s.value,
  name: s.name,
  colour: s.colour,
});

export function classHandlers({ study, events }: ServiceContext): ClassHandlers {
  return {
    'labels.classes': async () => study.listClasses().map((c) => c.name),
    'classes.list': async () => study.listClasses().map(classInfo),
    'classes.add': async ({ name, colour, key, author }) => {
      const c = study.addClass({
        name,
        author,
        ...(colour !== undefined ? { colour } : {}),
        ...(key !== undefined ? { key } : {}),
      });
      events.publish({ type: 'classes.changed' });
      return classInfo(c);
    },
    'classes.update': async ({ name, newName, colour, key, author }) => {
      const { record, relabeled } = study.updateClass({
        name,
        author,
        ...(newName !== undefined ? { newName } : {}),
        ...(colour !== undefined ? { colour } : {}),
        ...(key !== undefined ? { key } : {}),
      });
      events.publish({ type: 'classes.changed' });
      for (const r of relabeled)
        events.publish({
          type: 'label.changed',
          imageId: r.imageId,
          what: 'class',
          version: r.version,
          author,
          conflict: false,
        });
      return classInfo(record);
    },
    'segments.list': async () => study.listSegments().map(segmentInfo),
    'segments.set': async ({ value, name, colour, author }) => {
      const s = study.setSegment({ value, name, colour, author });
      events.publish({ type: 'segments.changed' });
      return segmentInfo(s);
    },
  };
}
