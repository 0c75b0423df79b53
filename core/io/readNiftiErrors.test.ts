// readNiftiBuffer on damaged input: one case per kind of damage, each with the VoxlabError code it must
// give (never another exception, never a huge allocation).

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { readNiftiBuffer } from './readNiftiBuffer.js';
import { nifti, NVOX } from './testUtils.js';

const VALUES = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 100];

function withExtension(esize: number): Uint8Array {
  const bytes = nifti({ voxOffset: 384 });
  bytes[348] = 1;
  new DataView(bytes.buffer).setInt32(352, esize, true);
  return bytes;
}

function gzipFlipped(): Uint8Array {
  const gz = gzipSync(nifti({}, new Uint8Array(4000).fill(7)));
  gz[20] = gz[20]! ^ 0xff;
  return gz;
}

const DAMAGE: [string, () => Uint8Array, string, object?][] = [
  ['empty bytes', () => new Uint8Array(0), 'NOT_NIFTI'],
  ['text', () => new TextEncoder().encode('hello, this is not an image at all'.repeat(20)), 'NOT_NIFTI'],
  ['bad magic', () => nifti({ magic: 'xyz' }), 'NOT_NIFTI'],
  ['header cut short', () => nifti({}).subarray(0, 200), 'NIFTI_TRUNCATED'],
  ['voxels cut short', () => nifti({}).subarray(0, 358), 'NIFTI_TRUNCATED'],
  [
    'gzip cut short',
    () => {
      const gz = gzipSync(nifti({}));
      return gz.subarray(0, gz.length - 12);
    },
    'NIFTI_TRUNCATED',
  ],
  ['gzip stream damaged', gzipFlipped, 'NIFTI_CORRUPT'],
  [
    'gzip trailer damaged',
    () => {
      const gz = gzipSync(nifti({}));
      gz[gz.length - 6] = gz[gz.length - 6]! ^ 1;
      return gz;
    },
    'NIFTI_CORRUPT',
  ],
  ['dims bigger than the data', () => nifti({ dim: [3, 20, 30, 20, 1, 1, 1, 1] }), 'NIFTI_TRUNCATED'],
  ['gzip data far bigger than the dims', () => gzipSync(nifti({}, new Uint8Array(3 << 20))), 'NIFTI_CORRUPT'],
  ['absurd dims', () => nifti({ version: 2, dim: [3, 2 ** 40, 2 ** 20, 1, 1, 1, 1, 1] }), 'TOO_LARGE'],
  [
    'absurd dims for float64',
    () => nifti({ dim: [3, 32767, 32767, 32767, 1, 1, 1, 1], datatype: 64, bitpix: 64 }),
    'TOO_LARGE',
  ],
  ['negative dim', () => nifti({ dim: [3, 2, -3, 2, 1, 1, 1, 1] }), 'NIFTI_CORRUPT'],
  ['zero dim', () => nifti({ dim: [3, 2, 0, 2, 1, 1, 1, 1] }), 'NIFTI_CORRUPT'],
  ['dim[0] of 0', () => nifti({ dim: [0, 2, 3, 2, 1, 1, 1, 1] }), 'NIFTI_CORRUPT'],
  ['dim[0] of 9', () => nifti({ dim: [9, 2, 3, 2, 1, 1, 1, 1] }), 'NIFTI_CORRUPT'],
  ['NaN pixdim', () => nifti({ pixdim: [1, 2, NaN, 4, 1, 1, 1, 1] }), 'NIFTI_CORRUPT'],
  ['infinite pixdim', () => nifti({ pixdim: [1, 2, 3, Infinity, 1, 1, 1, 1] }), 'NIFTI_CORRUPT'],
  ['bitpix not matching datatype', () => nifti({ bitpix: 16 }), 'NIFTI_CORRUPT'],
  ['unknown datatype', () => nifti({ datatype: 9999, bitpix: 8 }), 'NIFTI_UNSUPPORTED'],
  ['float128 datatype', () => nifti({ datatype: 1536, bitpix: 128 }), 'NIFTI_UNSUPPORTED'],
  ['vox_offset beyond the file', () => nifti({ voxOffset: 4000 }).subarray(0, 400), 'NIFTI_TRUNCATED'],
  ['vox_offset inside the header', () => nifti({ voxOffset: 100 }), 'NIFTI_CORRUPT'],
  ['vox_offset NaN', () => nifti({ voxOffset: NaN }), 'NIFTI_CORRUPT'],
  ['NaN in the sform', () => nifti({ srow: [2, 0, 0, NaN, 0, 3, 0, -3, 0, 0, 4, -4] }), 'NIFTI_CORRUPT'],
  ['all-zero sform', () => nifti({ srow: new Array(12).fill(0) }), 'NIFTI_CORRUPT'],
  [
    'sform with two parallel voxel axes',
    () => nifti({ srow: [2, 2, 0, 0, 0, 1e-20, 0, 0, 0, 0, 4, 0] }),
    'NIFTI_CORRUPT',
  ],
  [
    'quaternion longer than 1',
    () => nifti({ sformCode: 0, qformCode: 1, quatern: [1, 1, 0, 0, 0, 0] }),
    'NIFTI_CORRUPT',
  ],
  [
    'NaN qoffset',
    () => nifti({ sformCode: 0, qformCode: 1, quatern: [0, 0, 0, NaN, 0, 0] }),
    'NIFTI_CORRUPT',
  ],
  ['CIFTI intent', () => nifti({ intent: 3006 }), 'NOT_A_VOLUME'],
  ['5D data', () => nifti({ dim: [5, 2, 3, 2, 1, 2, 1, 1] }, new Uint8Array(NVOX * 2)), 'NOT_A_VOLUME'],
  ['1x1x1 grid with a long 4th axis', () => nifti({ dim: [4, 1, 1, 1, 12, 1, 1, 1] }), 'NOT_A_VOLUME'],
  ['extension longer than the space before the voxels', () => withExtension(64), 'NIFTI_CORRUPT'],
  ['extension of negative size', () => withExtension(-16), 'NIFTI_CORRUPT'],
  [
    'NIfTI-2 magic with damaged line-ending bytes',
    () => {
      const b = nifti({ version: 2 });
      b[9] = 0x0d;
      return b;
    },
    'NIFTI_CORRUPT',
  ],
  [
    'pair header without its .img',
    () => nifti({ magic: 'ni1', voxOffset: 0 }).subarray(0, 348),
    'BAD_ARGUMENT',
  ],
  ['.img bytes for a single file', () => nifti({}), 'BAD_ARGUMENT', { imgBytes: new Uint8Array(NVOX) }],
  ['frame past the end', () => nifti({}), 'BAD_ARGUMENT', { frame: 1 }],
  ['limit below the image size', () => nifti({}), 'TOO_LARGE', { maxBytes: 300 }],
];

describe('readNiftiBuffer refuses damaged input with a typed error', () => {
  it.each(DAMAGE)('%s → %s', (_label, make, code, options) => {
    const error = (() => {
      try {
        readNiftiBuffer(make(), options);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isVoxlabError(error) ? error.code : error).toBe(code);
  });

  it('reads a pair from .hdr and .img bytes', () => {
    const hdr = nifti({ magic: 'ni1', voxOffset: 0 }).subarray(0, 348);
    const volume = readNiftiBuffer(hdr, { imgBytes: gzipSync(Uint8Array.from(VALUES)) });
    expect(Array.from(volume.data)).toEqual(VALUES);
    expect(() => readNiftiBuffer(hdr, { imgBytes: Uint8Array.from(VALUES).subarray(0, 5) })).toThrow(
      expect.objectContaining({ code: 'NIFTI_TRUNCATED' }),
    );
  });
});
