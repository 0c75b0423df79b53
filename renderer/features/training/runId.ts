// Run ids for the training form: a fresh one proposed for every start (train-YYYYMMDD-HHMMSS in UTC, as the
// CLI and the server name runs), never one a model or run of the study already has, and the check of an id
// the user typed.

/** The rule core/train applies (RUN_ID): 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** train-YYYYMMDD-HHMMSS of `now` (UTC), with -2, -3, ... appended while that id is `taken`. */
export function proposeRunId(now: Date, taken: Iterable<string>): string {
  const used = new Set(taken);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  for (let n = 1; ; n++) {
    const id = n === 1 ? `train-${stamp}` : `train-${stamp}-${n}`;
    if (!used.has(id)) return id;
  }
}

/** Why `id` cannot name a new run, in words, or null when it can. `taken`: the study's model and run ids. */
export function runIdProblem(id: string, taken: Iterable<string>): string | null {
  const trimmed = id.trim();
  if (trimmed === '') return 'Give the run an id (a fresh one is proposed).';
  if (!RUN_ID.test(trimmed))
    return `"${trimmed}" cannot name a run: use up to 128 letters, digits, '.', '_' or '-', starting with a letter or digit.`;
  if (new Set(taken).has(trimmed))
    return `The study already has a run or model "${trimmed}": a new run needs a new id (resume a stopped run with Resume instead).`;
  return null;
}
