// The one way the PyTorch checkpoint reader fails: WEIGHTS_INVALID, with the file's name first, so a
// refusal reads as a sentence about the user's file.

import { VoxlabError } from '../../common/errors.js';

/** WEIGHTS_INVALID "`name`: `message`" with details {file, reason}; `reason` is a short code-like tag. */
export function checkpointError(name: string, message: string, reason = 'invalid'): VoxlabError {
  return new VoxlabError('WEIGHTS_INVALID', `${name}: ${message}`, { file: name, reason });
}

/**
 * WEIGHTS_INVALID for a pickle that asks for something outside the allow-list, e.g. `what` = "run
 * posix.system": "model.pt is not a plain PyTorch state_dict: it asks to run posix.system, which voxlab
 * refuses to do (a checkpoint file can hide a program)". details.refused names the global or opcode.
 */
export function refusedError(name: string, what: string, refused: string): VoxlabError {
  return new VoxlabError(
    'WEIGHTS_INVALID',
    `${name} is not a plain PyTorch state_dict: it asks to ${what}, which voxlab refuses to do (a checkpoint file can hide a program)`,
    { file: name, reason: 'refused', refused },
  );
}
