// The Admin panel's words for accounts: state, dates, the once-only notice, and each refusal of an account change.

import { describe, expect, it } from 'vitest';
import type { AccountInfo } from '../../../core/api/index.js';
import { VoxlabError } from '../../../core/common/errors.js';
import { accountProblem, accountState, createdInWords, formatWhen, rotatedInWords, tokenNotice } from './accountView.js';

const ANN: AccountInfo = {
  name: 'ann1',
  role: 'annotator',
  createdAt: '2026-12-06T17:38:16.123Z',
  createdBy: 'boss',
  rotatedAt: null,
  disabledAt: null,
};

describe('account words', () => {
  it.each([
    ['2026-12-06T17:38:16.123Z', '2026-12-06 17:38 UTC'],
    ['2026-01-02T03:04:05Z', '2026-01-02 03:04 UTC'],
    [null, ''],
    ['yesterday', 'yesterday'],
  ])('formatWhen(%j) = %j', (iso, want) => {
    expect(formatWhen(iso)).toBe(want);
  });

  it('says state, creator and rotation', () => {
    expect(accountState(ANN)).toBe('active');
    expect(accountState({ ...ANN, disabledAt: '2026-12-07T00:00:00Z' })).toBe('disabled');
    expect(createdInWords(ANN)).toBe('created by boss on 2026-12-06 17:38 UTC');
    expect(rotatedInWords(ANN)).toBe('token never rotated');
    expect(rotatedInWords({ ...ANN, rotatedAt: '2026-12-08T09:10:11Z' })).toBe('token rotated 2026-12-08 09:10 UTC');
  });

  it('tells the admin the token is shown once, for whom', () => {
    expect(tokenNotice('Dr Grey')).toContain('shown this once; give it to Dr Grey privately');
  });

  it.each([
    ['add', 'ann1', new VoxlabError('ALREADY_EXISTS', 'There is already an account "ann1"'), /^Not added: there is already an account "ann1"\. Choose another name/],
    ['add', '-bad', new VoxlabError('BAD_ARGUMENT', 'An account name is 1 to 64 letters...'), /^Not added: "-bad" cannot be an account name\. Use 1 to 64 letters/],
    ['disable', 'boss', new VoxlabError('BAD_ARGUMENT', 'You cannot disable your own account: ask another admin'), /^Not disabled: you cannot disable your own account\. Ask another admin/],
    ['rotate', 'gone', new VoxlabError('NOT_FOUND', 'There is no account "gone" in this study'), /^Token not replaced: there is no account "gone" in this study any more/],
    ['disable', 'ann1', new VoxlabError('FORBIDDEN', 'ann2 (annotator) may not disable an account at once (users.disable): it needs the role admin'), /^Not disabled: Not allowed for your role: /],
  ] as const)('%s %s refused with %s is said in words', (action, name, e, want) => {
    expect(accountProblem(action, name, e)).toMatch(want);
  });
});
