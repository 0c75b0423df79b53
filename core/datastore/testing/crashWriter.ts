// The child process of the crash test (crashSafety.test.ts): opens a study and writes class labels (some of
// them deliberately conflicting) and labelmaps in an endless loop, printing one line per write that the
// datastore acknowledged, until the test kills it with SIGKILL. Usage: node crashWriter.js <studyDir> <tag>,
// then a line on stdin to start.

import { isVoxlabError } from '../../common/errors.js';
import { openStudy } from '../openStudy.js';
import { crashLabelmap } from './crashPattern.js';
import type { CrashAck } from './crashPattern.js';

const [dir, tag] = process.argv.slice(2);
if (dir === undefined || tag === undefined) throw new Error('usage: crashWriter <studyDir> <tag>');

const ack = (a: CrashAck): void => {
  process.stdout.write(`${JSON.stringify(a)}\n`);
};

// Modules are loaded: say so, and wait for "go" on stdin, so that the test can start the next writer while
// this one works (Node's start-up, not our writes, would otherwise take most of the test's time).
ack({ kind: 'loaded' });
await new Promise((resolve) => process.stdin.once('data', resolve));
const study = openStudy(dir);
const ids = study.listImages().map((i) => i.id);
ack({ kind: 'ready' });
const start = Number(tag.replace(/\D/g, '')) || 0; // runs start on different images
for (let k = 0; ; k++) {
  const id = ids[(start + Math.floor(k / 3) + k) % ids.length]!; // every image gets both kinds of write
  if (k % 3 === 2) {
    const salt = (k * 31 + tag.length) % 251;
    const v = await study.saveLabelmap(id, crashLabelmap(salt), { author: tag });
    ack({ kind: 'seg', id, version: v.version, salt });
  } else if (k % 5 === 4) {
    // A stale write (expectedVersion 0 while a label exists): stored as a conflict and reported.
    const label = `${tag}-${k}-late`;
    try {
      const v = study.setClassLabel(id, label, { author: tag, expectedVersion: 0 });
      ack({ kind: 'class', id, version: v.version, label, conflict: false });
    } catch (e) {
      if (!isVoxlabError(e) || e.code !== 'LABEL_CONFLICT') throw e;
      ack({ kind: 'class', id, version: e.details!['storedVersion'] as number, label, conflict: true });
    }
  } else {
    const label = `${tag}-${k}`;
    const v = study.setClassLabel(id, label, { author: tag });
    ack({ kind: 'class', id, version: v.version, label, conflict: false });
  }
}
