// Child process for the WebGPU tests (issue #12). Dawn reads LD_LIBRARY_PATH and VK_ICD_FILENAMES (the
// SwiftShader Vulkan driver) when the process starts, so GPU work runs here, in a process started with that
// environment (see swiftshader.ts), built with buildChild. Prints one JSON line on stdout per command:
//   probe                      the adapter Dawn finds, or why none
//   backend PREFER             initBackend({ prefer: PREFER })'s report
//   doctor                     what `voxlab doctor --json` prints (its command, run here)
//   scenario NAME OUT          stepScenario NAME on webgpu, the values written to OUT (safetensors)
//   train STUDY RUNID          TRAIN_ON_GPU (2 epochs of the tiny study run) on webgpu: its result
//   forward NAME [RUNS]        forwardScenario NAME on webgpu: logits, seconds per run, device errors
//   conv3d OUT                 every CONV3D_CASES case with our Conv3D kernels and tfjs's naive ones,
//                              forward and gradients, written to OUT (safetensors: tiled.I, tiled.dx.I,
//                              tiled.dW.I, stock.I, ...); prints the device errors and the pipelines
//   columnSum OUT              channelSum of every COLUMN_SUM_CASES matrix on webgpu, written to OUT
//                              (safetensors: sum.I); prints the device errors
//   profile MODEL SIZE [stock|tiled] [noprofile|profile] [step]
//                              profileForward: where an eval forward's (or a training step's) time goes

import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { doctorCommand } from '../../../cli/commands/doctor.js';
import { openStudy } from '../../../datastore/openStudy.js';
import { serializeSafetensors } from '../../../model/index.js';
import { train } from '../../../train/train.js';
import { initBackend, type BackendPreference } from '../../selectBackend.js';
import { probeAdapter } from '../dawn.js';
import { setWebgpuConv3dImplementation } from '../kernels/conv3d.js';
import { columnSums } from '../kernels/testing/columnSumCases.js';
import { CONV3D_CASES, runConv3dCase, runConv3dGradCase } from '../kernels/testing/conv3dCases.js';
import { webgpuDeviceErrors } from '../startWebgpu.js';
import { runForward, type ForwardName } from './forwardScenario.js';
import { profileForward } from './profileForward.js';
import { runStepScenario, TRAIN_ON_GPU, type ScenarioName } from './stepScenario.js';

const [command, arg, out, ...rest] = process.argv.slice(2);
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
  case 'forward': {
    const report = await initBackend({ prefer: 'webgpu' });
    if (report.backend !== 'webgpu') throw new Error(`webgpu did not start: ${report.webgpu.detail}`);
    const { logits, seconds } = await runForward(arg as ForwardName, Number(out ?? 1));
    print({ backend: tf.getBackend(), logits: [...logits], seconds, deviceErrors: webgpuDeviceErrors() });
    break;
  }
  case 'conv3d': {
    const report = await initBackend({ prefer: 'webgpu' });
    if (report.backend !== 'webgpu') throw new Error(`webgpu did not start: ${report.webgpu.detail}`);
    const tensors: [string, { dtype: 'F32'; shape: number[]; data: Float32Array }][] = [];
    for (let i = 0; i < CONV3D_CASES.length; i++) {
      for (const which of ['tiled', 'stock'] as const) {
        setWebgpuConv3dImplementation(which);
        const data = await runConv3dCase(i);
        tensors.push([`${which}.${i}`, { dtype: 'F32', shape: [data.length], data }]);
        const grads = await runConv3dGradCase(i);
        for (const [key, g] of Object.entries(grads ?? {}))
          tensors.push([`${which}.${key}.${i}`, { dtype: 'F32', shape: [g.length], data: g }]);
      }
    }
    setWebgpuConv3dImplementation('tiled');
    writeFileSync(arg!, serializeSafetensors(tensors));
    const pipelines = Object.keys((tf.backend() as unknown as { pipelineCache: object }).pipelineCache);
    print({ backend: tf.getBackend(), deviceErrors: webgpuDeviceErrors(), pipelines });
    break;
  }
  case 'columnSum': {
    const report = await initBackend({ prefer: 'webgpu' });
    if (report.backend !== 'webgpu') throw new Error(`webgpu did not start: ${report.webgpu.detail}`);
    const sums = await columnSums();
    writeFileSync(
      arg!,
      serializeSafetensors(sums.map((data, i) => [`sum.${i}`, { dtype: 'F32', shape: [data.length], data }])),
    );
    print({ backend: tf.getBackend(), deviceErrors: webgpuDeviceErrors() });
    break;
  }
  case 'profile':
    print(
      await profileForward(
        arg!,
        Number(out),
        rest[0] === 'stock' ? 'stock' : 'tiled',
        rest[1] !== 'noprofile',
        rest[2] === 'step',
      ),
    );
    break;
  default:
    throw new Error(`webgpuChild: unknown command '${command}'`);
}
