// Follows a MONAI bundle's metrics.jsonl as a voxlab run (issue #14): polls the file (fs.watch is not
// reliable on network filesystems, where runs started on a cluster write), turns each epoch into the
// progress and epoch events a voxlab run sends, and ends at its done or error line.

import { VoxlabError } from '../common/errors.js';
import { isBetter, type EpochRecord } from '../train/checkpoint.js';
import type { ClassificationMetrics } from '../train/metrics.js';
import type { TrainProgress } from '../train/progress.js';
import {
  MetricsTail,
  type CheckpointLine,
  type DoneLine,
  type MalformedLine,
  type MetricsLine,
  type StartLine,
} from './followLines.js';

/** The best validated epoch so far (highest accuracy, then lowest loss), as trainRun's onEpoch reports it. */
export interface BestEpoch {
  readonly epoch: number;
  readonly metrics: ClassificationMetrics;
}

export interface FollowOptions {
  /** Abort to stop following: the promise rejects with CANCELLED (the run itself is not touched). */
  readonly signal?: AbortSignal;
  /** Time between reads of the file, ms (default 1000; a network filesystem shows appends within seconds). */
  readonly pollMs?: number;
  /**
   * Resolves when the writer has ended (its process exited): the file is read once more and, without a done
   * line, following fails with BUNDLE_FAILED (details.incomplete = true). Without it, following waits.
   */
  readonly writerEnded?: Promise<unknown>;
  readonly onStart?: (start: StartLine) => void;
  /** After each epoch line: one progress event (a bundle reports whole epochs, so step = stepsPerEpoch = 1). */
  readonly onProgress?: (p: TrainProgress) => void;
  /** After each epoch line, with the best validated epoch so far (maybe this one). */
  readonly onEpoch?: (r: EpochRecord, best: BestEpoch | null) => void;
  readonly onCheckpoint?: (c: CheckpointLine) => void;
  /** A line that is not a metrics line; following goes on. */
  readonly onMalformed?: (m: MalformedLine) => void;
}

/** What a followed run reported by its done line. */
export interface FollowResult {
  readonly start: StartLine | null;
  readonly history: readonly EpochRecord[];
  readonly best: BestEpoch | null;
  readonly lastCheckpoint: CheckpointLine | null;
  readonly done: DoneLine;
}

/**
 * Follows `file` until its done line and returns what the run reported. Rejects with BUNDLE_FAILED (an error
 * line: its message; or the writer ended without done), CANCELLED (signal), IO_ERROR (unreadable file).
 */
export async function followMetrics(file: string, options: FollowOptions = {}): Promise<FollowResult> {
  const pollMs = options.pollMs ?? 1000;
  if (!(pollMs > 0)) throw new VoxlabError('BAD_ARGUMENT', `followMetrics: pollMs must be > 0, got ${pollMs}`);
  const tail = new MetricsTail(file);
  const run = new FollowedRun(options);
  let ended = false;
  void options.writerEnded?.then(
    () => (ended = true),
    () => (ended = true),
  );
  for (;;) {
    if (options.signal?.aborted)
      throw new VoxlabError('CANCELLED', `Stopped following ${file}`, { path: file });
    const endedBeforeRead = ended; // the writer ended before this read began: the read sees all it wrote
    const { lines, malformed, restarted } = await tail.read();
    if (restarted) run.reset();
    for (const m of malformed) options.onMalformed?.(m);
    for (const line of lines) {
      const result = run.take(line, file);
      if (result !== null) return result;
    }
    if (endedBeforeRead)
      throw new VoxlabError(
        'BUNDLE_FAILED',
        `The bundle's process ended before ${file} said done (${run.history.length} epoch(s) reported)`,
        { path: file, incomplete: true, epochs: run.history.length },
      );
    await sleep(pollMs, options.signal, options.writerEnded);
  }
}

/** The state of a followed run, line by line. */
class FollowedRun {
  start: StartLine | null = null;
  history: EpochRecord[] = [];
  best: BestEpoch | null = null;
  lastCheckpoint: CheckpointLine | null = null;

  constructor(private readonly options: FollowOptions) {}

  reset(): void {
    this.start = null;
    this.history = [];
    this.best = null;
    this.lastCheckpoint = null;
  }

  /** Handles one line; returns the result at done, throws at error. */
  take(line: MetricsLine, file: string): FollowResult | null {
    switch (line.event) {
      case 'start':
        this.start = line;
        this.options.onStart?.(line);
        return null;
      case 'epoch': {
        const { event: _event, ...record } = line;
        this.history.push(record);
        if (record.val !== null && isBetter(record.val, this.best?.metrics ?? null))
          this.best = { epoch: record.epoch, metrics: record.val };
        this.options.onProgress?.(this.progress(record));
        this.options.onEpoch?.(record, this.best);
        return null;
      }
      case 'checkpoint':
        this.lastCheckpoint = line;
        this.options.onCheckpoint?.(line);
        return null;
      case 'done':
        return {
          start: this.start,
          history: this.history,
          best: this.best,
          lastCheckpoint: this.lastCheckpoint,
          done: line,
        };
      case 'error':
        throw new VoxlabError('BUNDLE_FAILED', `The bundle's training failed: ${line.message}`, {
          path: file,
          epochs: this.history.length,
        });
    }
  }

  /** The progress event after `record`: the epoch counts as done; ETA from the mean epoch time so far. */
  private progress(record: EpochRecord): TrainProgress {
    const epochs = Math.max(this.start?.epochs ?? record.epoch, record.epoch);
    const mean = this.history.reduce((s, r) => s + r.seconds, 0) / this.history.length;
    return {
      phase: record.val === null ? 'train' : 'validate',
      epoch: record.epoch,
      epochs,
      step: 1,
      stepsPerEpoch: 1,
      loss: record.train.loss,
      etaS: Math.round(mean * (epochs - record.epoch) * 10) / 10,
    };
  }
}

/** Waits `ms`, or less when the signal aborts or the writer ends (then the loop reads at once). */
function sleep(ms: number, signal?: AbortSignal, ended?: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    void ended?.then(done, done);
  });
}
