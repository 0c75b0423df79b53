// Reader-study handlers (issue #13): reading settings, every reader's reads of a scan, adjudication (the
// reference label) and inter-reader agreement. Roles are the method table's; blinded.ts says what an
// annotator sees elsewhere.

import { agreement } from '../../agreement/index.js';
import type { Json } from '../../api/index.js';
import { hasAccounts } from '../../datastore/accounts.js';
import { agreementInput, getReading, latestReads, setReading, type TrainingLabelSource } from '../../datastore/reads.js';
import type { Handlers, ServiceContext } from './context.js';

export function readingHandlers({
  study,
  events,
}: ServiceContext): Pick<Handlers, 'reading.get' | 'reading.set' | 'reads.list' | 'reads.adjudicate' | 'agreement.report'> {
  return {
    'reading.get': async () => getReading(study),
    'reading.set': async ({ blinded, readsPerScan, trainingLabels }) => {
      const settings = setReading(
        study,
        {
          ...(blinded !== undefined ? { blinded } : {}),
          ...(readsPerScan !== undefined ? { readsPerScan } : {}),
          ...(trainingLabels !== undefined ? { trainingLabels: trainingLabels as TrainingLabelSource } : {}),
        },
        hasAccounts(study),
      );
      return settings;
    },
    'reads.list': async ({ imageId }) => {
      study.getImage(imageId);
      return latestReads(study, imageId);
    },
    'reads.adjudicate': async ({ imageId, label, author, expectedVersion, note }) => {
      const v = study.setClassLabel(imageId, label, {
        author,
        note: note === undefined ? 'adjudicated' : `adjudicated: ${note}`,
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      });
      events.publish({ type: 'label.changed', imageId, what: 'class', version: v.version, author, conflict: false });
      return v;
    },
    'agreement.report': async () => {
      const { reads, classes } = agreementInput(study);
      return agreement(reads, classes) as unknown as Json;
    },
  };
}
