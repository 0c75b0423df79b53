// Migration 8's rebuild of the explanations table (issue #16, LayerCAM): a study saved before it keeps every
// stored map, and afterwards accepts 'layercam' maps, which the old CHECK refused.

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Affine } from '../common/spaces.js';
import type { ExplanationInput } from './explanations.js';
import { openStudy } from './openStudy.js';
import { SCHEMA_VERSION } from './schema.js';
import { openConnection } from './sqlite.js';
import { makeTempDirs, studyWithImages } from './testing/fixtures.js';

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

const AFFINE: Affine = [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] as unknown as Affine;

function mapOf(method: ExplanationInput['method']): ExplanationInput {
  const data = Float32Array.from({ length: 4 * 5 * 6 }, (_, v) => v % 7);
  return {
    imageId: 'a',
    modelId: 'run-1',
    method,
    classIndex: 1,
    className: 'lesion',
    predictedClass: 'lesion',
    params: { layer: 'features.transition1.relu' },
    source: 'cli',
    map: { shape: [4, 5, 6], data, affine: AFFINE },
    durationMs: 12,
  };
}

/** Puts back the explanations table as migrations before the rebuild left it (method CHECK without layercam). */
function downgradeExplanations(dir: string): void {
  const db = openConnection(path.join(dir, 'voxlab.sqlite'), { mustExist: true });
  try {
    db.exec(`
      CREATE TABLE old (id TEXT PRIMARY KEY, image_id TEXT NOT NULL REFERENCES images (id), model_id TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('occlusion', 'gradcam', 'gradcam++')),
        class_index INTEGER NOT NULL CHECK (class_index >= 0), class_name TEXT, predicted_class TEXT,
        params TEXT NOT NULL CHECK (json_valid(params)), source TEXT NOT NULL CHECK (source IN ('app', 'cli', 'api')),
        path TEXT NOT NULL UNIQUE, shape TEXT NOT NULL CHECK (json_valid(shape)), min REAL NOT NULL, max REAL NOT NULL,
        duration_ms REAL, created_at TEXT NOT NULL) STRICT;
      INSERT INTO old SELECT * FROM explanations;
      DROP TABLE explanations;
      ALTER TABLE old RENAME TO explanations;
      CREATE INDEX explanations_by_image ON explanations (image_id, created_at);`);
    db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
  } finally {
    db.close();
  }
}

describe('the explanations table rebuilt for LayerCAM', () => {
  it('keeps the maps of an older study and then accepts layercam', async () => {
    let study = await studyWithImages(tmp.make(), ['a']);
    const stored = await study.recordExplanation(mapOf('gradcam'));
    const dir = study.dir;
    study.close();
    downgradeExplanations(dir);

    // The old table refuses a layercam row: the rebuild is what makes room for it.
    const raw = openConnection(path.join(dir, 'voxlab.sqlite'), { mustExist: true });
    expect(() => raw.prepare("UPDATE explanations SET method = 'layercam'").run()).toThrow(/CHECK constraint/);
    raw.close();

    study = openStudy(dir);
    try {
      expect(study.info().schemaVersion).toBe(SCHEMA_VERSION);
      expect(study.listExplanations('a')).toEqual([stored]);
      const layerCam = await study.recordExplanation(mapOf('layercam'));
      expect(study.getExplanation(layerCam.id)).toMatchObject({ method: 'layercam', imageId: 'a' });
      expect(study.listExplanations('a').map((e) => e.method).sort()).toEqual(['gradcam', 'layercam']);
    } finally {
      study.close();
    }
  });
});
