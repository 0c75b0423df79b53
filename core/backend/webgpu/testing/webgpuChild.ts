// Child process for the WebGPU tests (issue #12). Dawn reads LD_LIBRARY_PATH and VK_ICD_FILENAMES (the
// SwiftShader Vulkan driver) when the process starts, so GPU work runs here, in a process started with that
// environment (see swiftshader.ts), built with buildChild. Prints one JSON line on stdout per command:
//   probe                      the adapter Dawn finds, or why none
//   backend PREFER             initBackend({ prefer: PREFER })'s report
//   doctor                     what `voxlab doctor --json` prints (its command, run here)
//   scenario NAME OUT          stepScenario NAME on webgpu, the values written to OUT (safetensors)
//   train STUDY RUNID          TRAIN_ON_GPU (2 epochs of the tiny study run) on webgpu: its result

import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { doctorCommand } from '../../../cli/commands/doctor.js';
import { openStudy } from '../../../datastore/openStudy.js';
import { serializeSafetensors } from '../../../model/index.js';
import { train } from '../../../train/train.js';
import { initBackend, type BackendPreference } from '../../selectBackend.js';
import { probeAdapter } from '../dawn.js';
import { webgpuDeviceErrors } from '../startWebgpu.js';
import { runStepScenario, TRAIN_ON_GPU, type ScenarioName } from './stepScenario.js';

const [command, arg, out] = process.argv.slice(2);
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

switch (command) {
  case 'probe': {
    const probe = await probeAdapter();
    print(probe.ok ? { ok: true, description: probe.description } : probe);
    break;
  }
  case 'backend':
    print(await initBackend({ prefer: arg as BackendPreference }));
    break;
  case 'doctor':
    process.exitCode = await doctorCommand.run({ values: { json: true }, positionals: [] });
    break;
  case 'scenario': {
    const report = await initBackend({ prefer: 'webgpu' });
    if (report.backend !== 'webgpu') throw new Error(`webgpu did not start: ${report.webgpu.detail}`);
    const { values, seconds } = await runStepScenario(arg as ScenarioName);
    const tensors = [...values].map(([k, v]) => [k, { dtype: 'F32', shape: [v.length], data: v }] as const);
    writeFileSync(out!, serializeSafetensors(tensors));
    print({ backend: tf.getBackend(), deviceErrors: webgpuDeviceErrors(), seconds });
    break;
  }
  case 'train': {
    const report = await initBackend({ prefer: 'webgpu' });
    if (report.backend !== 'webgpu') throw new Error(`webgpu did not start: ${report.webgpu.detail}`);
    const study = openStudy(arg!);
    try {
      const result = await train(study, TRAIN_ON_GPU, { runId: out! });
      print({ ...result, deviceErrors: webgpuDeviceErrors() });
    } finally {
      study.close();
    }
    break;
  }
  default:
    throw new Error(`webgpuChild: unknown command '${command}'`);
}
