// Inference and TTA active learning over the study's models (see studyModels.ts for how a model id is
// resolved and its classifier cached). Inference runs as a job and stores its prediction in the study.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { nextImage } from '../../active/index.js';
import type { InferResult, Json } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import { inferStudy } from '../../infer/index.js';
import type { Handlers, ServiceContext } from './context.js';
import type { ModelResolver } from './studyModels.js';

type InferenceHandlers = Pick<Handlers, 'infer.run' | 'active.next'>;

export function inferenceHandlers(context: ServiceContext, models: ModelResolver): InferenceHandlers {
  const { study, jobs } = context;
  const classifier = (id: string) => models.classifier(id);
  return {
    'infer.run': async ({ modelId, imageId }) => {
      study.getImage(imageId);
      return jobs.start('infer', { modelId, imageId }, async (ctx) => {
        ctx.progress(null, `loading model ${modelId}`);
        const c = await classifier(modelId);
        ctx.progress(0.5, `classifying ${imageId}`);
        const [p] = await inferStudy(study, c, modelId, { images: [imageId], signal: ctx.signal });
        // The stored prediction changes the image's status and list row: every open page hears of it.
        context.events.publish({ type: 'datastore.changed', imageId });
        const result: InferResult = {
          imageId,
          modelId,
          classes: [...c.classes],
          probabilities: [...p!.probabilities],
          label: p!.predicted,
        };
        return { result: result as unknown as Json };
      });
    },
    'active.next': async ({ strategy, modelId }) => {
      if (strategy === 'tta' && modelId === undefined)
        throw new VoxlabError('BAD_ARGUMENT', 'active.next: strategy tta needs a modelId');
      const c = strategy === 'tta' ? await classifier(modelId!) : undefined;
      if (modelId !== undefined && c === undefined && !existsSync(path.join(study.dir, 'models', modelId)))
        study.getModel(modelId);
      const r = await nextImage(study, c, strategy, {
        seed: Date.now() % 2 ** 31,
        ...(modelId !== undefined ? { modelId } : {}),
      });
      return {
        imageId: r.id,
        strategy,
        score: r.score,
        remaining: r.ranking.length,
        ranking: r.ranking.map((x) => ({ id: x.id, score: x.score })),
      };
    },
  };
}
