// The load campaign's clients (issue #15, item 5): one keep-alive HTTP connection per client (an Agent with
// a single socket, counted as it opens and closes) and the seeded mix of contract calls each client loops.

import { Agent, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { HEADERS, routeFor, type MethodName } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import type { SeededRandom } from '../../common/random.js';

/**
 * A request with no answer after this long counts as an error (a hang), not a latency. Generous: on a busy
 * two-core machine a labelmap upload behind 99 other clients has taken 29 s (a slow answer, not a hang).
 */
export const REQUEST_TIMEOUT_MS = 60_000;

/** One call of the contract as the clients send it. `author` marks writes that publish label.changed. */
export interface LoadOp {
  readonly method: MethodName;
  readonly args: Record<string, unknown>;
  readonly bytes?: Uint8Array;
  /** Set on labels.set / labelmaps.save: the unique author their label.changed event carries. */
  readonly author?: string;
}

/** The answer to one request: its status and body, or why there was none; `ms` from send to the last byte. */
export type LoadAnswer = { status: number; body: Buffer; ms: number } | { error: string; ms: number };

/** Open and opened sockets of the load clients: `peak` is the most open at once. */
export interface SocketCount {
  open: number;
  opened: number;
  peak: number;
}

/** One client: a keep-alive connection that carries its requests one after the other. */
export class LoadConnection {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly seen = new WeakSet<Socket>();

  constructor(
    private readonly baseUrl: URL,
    private readonly token: string,
    private readonly count: SocketCount,
  ) {}

  /** Sends `op`; never rejects. */
  send(op: LoadOp): Promise<LoadAnswer> {
    const { verb, path, body } = routeFor(op.method, op.args);
    const headers: Record<string, string> = { [HEADERS.token]: this.token };
    let payload: Uint8Array | undefined;
    if (op.bytes !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      payload = op.bytes;
    } else if (body !== null) {
      headers['content-type'] = 'application/json';
      payload = Buffer.from(JSON.stringify(body));
    }
    if (payload !== undefined) headers['content-length'] = String(payload.byteLength);
    const started = performance.now();
    const ms = () => performance.now() - started;
    return new Promise((resolve) => {
      let done = false;
      const finish = (a: LoadAnswer) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(a);
      };
      const req = httpRequest({
        host: this.baseUrl.hostname,
        port: this.baseUrl.port,
        method: verb,
        path,
        headers,
        agent: this.agent,
      });
      const timer = setTimeout(() => {
        finish({ error: `no answer in ${REQUEST_TIMEOUT_MS} ms`, ms: ms() });
        req.destroy();
      }, REQUEST_TIMEOUT_MS);
      req.on('socket', (s: Socket) => this.track(s));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: ms() }));
        res.on('error', (e) => finish({ error: `response cut off: ${e.message}`, ms: ms() }));
      });
      req.on('error', (e: NodeJS.ErrnoException) =>
        finish({ error: `${e.code ?? ''} ${e.message}`.trim(), ms: ms() }),
      );
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private track(s: Socket): void {
    if (this.seen.has(s)) return;
    this.seen.add(s);
    const c = this.count;
    c.open++;
    c.opened++;
    c.peak = Math.max(c.peak, c.open);
    s.once('close', () => c.open--);
  }
}

/**
 * What the mix needs to know about the study: image ids, their voxel count (labelmap size) and class label.
 * labels.set writes each image's own label again (a new version, note 'load'): a changed label would stop
 * the training run by design (TRAIN_DATA_INVALID: labels changed since the run started).
 */
export interface MixTarget {
  readonly images: readonly { readonly id: string; readonly voxels: number; readonly label: string }[];
  readonly classes: readonly string[];
}

type MakeOp = (r: SeededRandom, t: MixTarget, tag: string) => LoadOp;

const pick = <T>(r: SeededRandom, xs: readonly T[]): T => xs[r.int(0, xs.length)]!;
const colour = (r: SeededRandom) => `#${r.int(0, 0x1000000).toString(16).padStart(6, '0')}`;
const image = (r: SeededRandom, t: MixTarget) => pick(r, t.images).id;

/**
 * [weight, maker] rows: about 80% reads (volumes and labelmaps are the heavy ones) and 20% writes. Writes
 * stay bounded: labels and labelmaps add versions, segments and class colours overwrite, classes.add (1%)
 * adds a class with a unique name and no shortcut key.
 */
const MIX: readonly (readonly [number, MakeOp])[] = [
  [8, () => ({ method: 'datastore.list', args: {} })],
  [4, () => ({ method: 'datastore.status', args: {} })],
  [4, (r, t) => ({ method: 'datastore.image', args: { imageId: image(r, t) } })],
  [14, (r, t) => ({ method: 'datastore.volume', args: { imageId: image(r, t) } })],
  [8, (r, t) => ({ method: 'labels.get', args: { imageId: image(r, t) } })],
  [4, (r, t) => ({ method: 'labels.history', args: { imageId: image(r, t) } })],
  [10, (r, t) => ({ method: 'labelmaps.get', args: { imageId: image(r, t) } })],
  [3, (r, t) => ({ method: 'labelmaps.history', args: { imageId: image(r, t) } })],
  [7, () => ({ method: 'train.status', args: {} })],
  [4, () => ({ method: 'models.list', args: {} })],
  [3, () => ({ method: 'classes.list', args: {} })],
  [2, () => ({ method: 'segments.list', args: {} })],
  [3, () => ({ method: 'jobs.list', args: {} })],
  [2, () => ({ method: 'server.info', args: {} })],
  [
    10,
    (r, t, tag) => {
      const { id, label } = pick(r, t.images);
      return { method: 'labels.set', args: { imageId: id, label, author: tag, note: 'load' }, author: tag };
    },
  ],
  [
    6,
    (r, t, tag) => {
      const target = pick(r, t.images);
      const bytes = new Uint8Array(target.voxels).fill(r.int(0, 3));
      return { method: 'labelmaps.save', args: { imageId: target.id, author: tag }, bytes, author: tag };
    },
  ],
  [
    3,
    (r, _t, tag) => ({
      method: 'segments.set',
      args: { value: r.int(1, 4), name: `load segment ${r.int(1, 4)}`, colour: colour(r), author: tag },
    }),
  ],
  [
    2,
    (r, t, tag) => ({
      method: 'classes.update',
      args: { name: pick(r, t.classes), colour: colour(r), author: tag },
    }),
  ],
  [
    1,
    (_r, _t, tag) => ({ method: 'classes.add', args: { name: `load class ${tag}`, key: null, author: tag } }),
  ],
];
const TOTAL_WEIGHT = MIX.reduce((s, [w]) => s + w, 0);

/** The next call of a client: drawn from MIX with `r`; `tag` (unique per call) names the author of writes. */
export function nextOp(r: SeededRandom, target: MixTarget, tag: string): LoadOp {
  let x = r.int(0, TOTAL_WEIGHT);
  for (const [w, make] of MIX) {
    if (x < w) return make(r, target, tag);
    x -= w;
  }
  throw new VoxlabError('INTERNAL', `nextOp: draw ${x} fell outside the mix`);
}

/** Methods of MIX that write (for the report). */
export const WRITE_METHODS: ReadonlySet<MethodName> = new Set([
  'labels.set',
  'labelmaps.save',
  'segments.set',
  'classes.update',
  'classes.add',
]);
