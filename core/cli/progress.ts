// Progress for long CLI runs, always on stderr so stdout stays clean for --json output.
// Silent for work under a second. On a terminal: one redrawn bar. Elsewhere (CI logs, pipes): a line
// at most every few seconds.

/** A callback long operations accept: `done` of `total` units finished, with an optional note. */
export type ProgressFn = (done: number, total: number, note?: string) => void;

export interface ProgressBarOptions {
  readonly label: string;
  /** Where to draw; default process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** Set false to draw nothing (e.g. --quiet). */
  readonly enabled?: boolean;
}

/** A progress bar that draws itself on stderr; call `update` often and `finish` once. */
export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly options: ProgressBarOptions) {
    this.stream = options.stream ?? process.stderr;
  }

  /** The bar as a ProgressFn, to hand to core functions. */
  readonly update: ProgressFn = (done, total, note) => {
    if (this.options.enabled === false) return;
    const now = Date.now();
    const tty = this.stream.isTTY === true;
    const minGap = tty ? 80 : 3000;
    // Work that ends within a second draws nothing; after that, at most one line per gap.
    if (!this.drawn && now - this.started < 1000) return;
    if (done < total && now - this.lastDraw < minGap) return;
    this.lastDraw = now;
    this.drawn = true;
    const line = formatProgress(this.options.label, done, total, (now - this.started) / 1000, note);
    if (tty) this.stream.write(`\r\x1b[2K${line}`);
    else this.stream.write(`${line}\n`);
  };

  /** Ends the bar's line (terminal) so later output starts on a fresh line. */
  finish(): void {
    if (this.drawn && this.stream.isTTY === true) this.stream.write('\n');
  }
}

/** One progress line: `label [#####.....] 12/40 30% 3.1s ETA 7.2s note`. */
export function formatProgress(label: string, done: number, total: number, elapsedS: number, note?: string): string {
  const width = 24;
  const frac = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(frac * width);
  const eta = frac > 0 && frac < 1 ? ` ETA ${((elapsedS * (1 - frac)) / frac).toFixed(1)}s` : '';
  const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
  return `${label} [${bar}] ${done}/${total} ${Math.round(frac * 100)}% ${elapsedS.toFixed(1)}s${eta}${note ? ` ${note}` : ''}`;
}
