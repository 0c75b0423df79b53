// Progress of a training run as events for the UI and the CLI, with a remaining-time estimate, and the
// process's peak memory for the run report.

/** One progress event, sent after each training step and each validation batch. */
export interface TrainProgress {
  /** 'train': a training step ended; 'validate': a validation batch ended. */
  readonly phase: 'train' | 'validate';
  /** 1-based epoch and the run's epoch count. */
  readonly epoch: number;
  readonly epochs: number;
  /** 1-based step (or validation batch) within the epoch, and how many there are. */
  readonly step: number;
  readonly stepsPerEpoch: number;
  /** The step's mean cross-entropy (validation: the batch's); NaN never occurs unless training diverged. */
  readonly loss: number;
  /** Estimated seconds until the run (this invocation) ends, from its own pace so far; 0 at the last event. */
  readonly etaS: number;
}

/**
 * Estimates the remaining time from the pace so far, counting a validation batch as a third of a training
 * step (a forward pass only; a step is a forward, a recomputed forward and a backward).
 */
export class EtaClock {
  /** Weight of a validation batch relative to a training step. */
  static readonly VALIDATE_WEIGHT = 1 / 3;
  private readonly started = performance.now();
  private done = 0;

  /** `totalUnits`: work left in this run (training steps + weighted validation batches). */
  constructor(private readonly totalUnits: number) {}

  /** Records finished work and returns the estimated seconds left (0.1 s steps). */
  advance(units: number): number {
    this.done += units;
    const elapsed = (performance.now() - this.started) / 1000;
    const left = Math.max(0, ((this.totalUnits - this.done) * elapsed) / this.done);
    return Math.round(left * 10) / 10; // tenths of a second; also hides float dust at the end (1e-16 → 0)
  }
}

/** The most memory the process has held (resident set), in MB (2^20 bytes), from the OS (getrusage). */
export function peakRssMb(): number {
  // maxRSS is in kilobytes on Linux and macOS (Node normalises it); rss() is the current value in bytes.
  return Math.max(process.resourceUsage().maxRSS / 1024, process.memoryUsage.rss() / 2 ** 20);
}
