// The ONNX Runtime part of `npm run fuzz -- onnx`: the damaged models of core/infer/onnx/fuzzOnnx.ts opened
// in ORT through openOrtClassifier, in a child process (scripts/fuzzOnnxOrtWorker.ts). A child that dies
// (a native crash) counts as a crash and a new child goes on with the next case; one silent for over
// `timeoutS` is killed and its case counted as a hang (a failure).

import { fork } from 'node:child_process';

export interface OrtFuzzReport {
  readonly cases: number;
  readonly outcomes: Record<string, number>;
  readonly crashes: number;
  readonly failures: string[];
  readonly slowestMs: number;
}

interface Message {
  readonly type: 'start' | 'done';
  readonly i: number;
  readonly outcome?: string;
  readonly ms?: number;
}

export async function fuzzOnnxOrt(options: { cases: number; seed: number; timeoutS: number }): Promise<OrtFuzzReport> {
  const outcomes: Record<string, number> = {};
  const failures: string[] = [];
  let crashes = 0;
  let slowestMs = 0;
  let next = 0;
  while (next < options.cases) {
    next = await new Promise<number>((resolveRun) => {
      const child = fork(new URL('./fuzzOnnxOrtWorker.js', import.meta.url), [String(options.seed), String(next), String(options.cases)], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      let started = next;
      let done = next;
      let hung = false;
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          hung = true;
          child.kill('SIGKILL');
        }, options.timeoutS * 1000);
      };
      arm();
      child.on('message', (m: Message) => {
        arm();
        if (m.type === 'start') {
          started = m.i;
          return;
        }
        done = m.i + 1;
        const key = m.outcome!.startsWith('FAILED') ? 'FAILED' : m.outcome!;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        slowestMs = Math.max(slowestMs, m.ms!);
        if (key === 'FAILED' && failures.length < 50) failures.push(`case ${m.i}: ${m.outcome}`);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (hung) {
          outcomes.HANG = (outcomes.HANG ?? 0) + 1;
          if (failures.length < 50) failures.push(`case ${started}: no answer in ${options.timeoutS} s (hang)`);
          resolveRun(Math.max(done, started + 1));
        } else if (code === 0 && signal === null) resolveRun(Math.max(done, next + 1));
        else {
          crashes++;
          if (failures.length < 50) failures.push(`case ${started}: the ORT process died (${signal ?? `exit ${code}`})`);
          resolveRun(Math.max(done, started + 1));
        }
      });
    });
  }
  return { cases: options.cases, outcomes, crashes, failures, slowestMs };
}
