// The team-server part of the contract (issue #13): who a call runs as, accounts, reader studies,
// agreement and the audit log. Merged into ApiTypes and METHODS (methods.ts), like every other method.

import type { MethodSpec, NoArgs } from './methods.js';
import { ADMINS, CURATORS, EVERYONE, MODEL_USERS } from './roles.js';
import type { AccountInfo, AuditRow, Caller, ClassLabelVersion, Json, ReadInfo, ReadingSettings, Role } from './types.js';

const NONE = {} as const;
const IMAGE = { imageId: 'id' } as const;

export interface TeamApiTypes {
  /** Who this call runs as, and whether the study has accounts (then every call must be signed in). */
  'auth.whoami': { req: NoArgs; res: Caller & { accounts: boolean } };
  'users.list': { req: NoArgs; res: AccountInfo[] };
  /** Adds an account; the answer holds its personal token, shown this once. */
  'users.add': { req: { name: string; role: Role }; res: AccountInfo & { token: string } };
  /** Disables an account: its token and sessions are refused from the next request on. */
  'users.disable': { req: { name: string }; res: AccountInfo };
  /** Replaces an account's token (the old one is refused at once); the answer holds the new token. */
  'users.rotate': { req: { name: string }; res: AccountInfo & { token: string } };
  /** The study's reading settings (blinded, reads per scan, what training uses). */
  'reading.get': { req: NoArgs; res: ReadingSettings };
  /** Changes the reading settings. Blinded reading needs accounts (BAD_ARGUMENT without). */
  'reading.set': {
    req: { blinded?: boolean; readsPerScan?: number; trainingLabels?: string };
    res: ReadingSettings;
  };
  /** Every reader's latest read of a scan (reviewer and up: annotators see only their own). */
  'reads.list': { req: { imageId: string }; res: ReadInfo[] };
  /**
   * Sets the reference label of a scan after reading it (adjudication): a class label version by the
   * caller, note "adjudicated" (plus `note`); the reference is what training uses by default.
   * LABEL_CONFLICT like labels.set.
   */
  'reads.adjudicate': {
    req: { imageId: string; label: string | null; author: string; expectedVersion?: number; note?: string };
    res: ClassLabelVersion;
  };
  /** Inter-reader agreement over the scans' latest reads (core/agreement's AgreementReport as JSON). */
  'agreement.report': { req: NoArgs; res: Json };
  /** Audit rows, oldest first, after `afterSeq`; `verified`: the hash chain of the whole log checks out. */
  'audit.list': {
    req: { account?: string; method?: string; target?: string; afterSeq?: number; limit?: number };
    res: { rows: AuditRow[]; verified: boolean };
  };
}

/** The table rows of TeamApiTypes' methods. */
export const TEAM_METHODS = {
  'auth.whoami': { kind: 'call', http: 'GET /auth/whoami', request: NONE, roles: EVERYONE, summary: 'who this call runs as' },
  'users.list': { kind: 'call', http: 'GET /users', request: NONE, roles: ADMINS, summary: 'the study\'s accounts' },
  'users.add': {
    kind: 'call',
    http: 'POST /users',
    request: { name: 'string', role: { enum: ['annotator', 'reviewer', 'researcher', 'admin'] } },
    roles: ADMINS,
    audit: true,
    summary: 'add an account (its token is in the answer, once)',
  },
  'users.disable': {
    kind: 'call',
    http: 'POST /users/{name}/disable',
    request: { name: 'string' },
    roles: ADMINS,
    audit: true,
    summary: 'disable an account at once',
  },
  'users.rotate': {
    kind: 'call',
    http: 'POST /users/{name}/rotate',
    request: { name: 'string' },
    roles: ADMINS,
    audit: true,
    summary: 'replace an account\'s token (the old one is refused at once)',
  },
  'reading.get': { kind: 'call', http: 'GET /reading', request: NONE, roles: EVERYONE, summary: 'the reading settings' },
  'reading.set': {
    kind: 'call',
    http: 'PUT /reading',
    request: { blinded: 'boolean?', readsPerScan: 'int?', trainingLabels: 'string?' },
    roles: ADMINS,
    audit: true,
    summary: 'change the reading settings (blinded, reads per scan, training labels)',
  },
  'reads.list': {
    kind: 'call',
    http: 'GET /datastore/images/{imageId}/reads',
    request: IMAGE,
    roles: MODEL_USERS,
    summary: "every reader's latest read of a scan",
  },
  'reads.adjudicate': {
    kind: 'call',
    http: 'PUT /datastore/images/{imageId}/reference',
    request: { imageId: 'id', label: 'string|null', author: 'string', expectedVersion: 'int?', note: 'string?' },
    roles: CURATORS,
    audit: true,
    summary: 'set the reference label of a read scan (adjudication)',
  },
  'agreement.report': {
    kind: 'call',
    http: 'GET /agreement',
    request: NONE,
    roles: MODEL_USERS,
    summary: 'inter-reader agreement (kappa, confusion, disagreements)',
  },
  'audit.list': {
    kind: 'call',
    http: 'GET /audit',
    request: { account: 'string?', method: 'string?', target: 'string?', afterSeq: 'int?', limit: 'int?' },
    roles: ADMINS,
    summary: 'the audit log, oldest first, with its hash chain checked',
  },
} as const satisfies { readonly [M in keyof TeamApiTypes]: MethodSpec };
