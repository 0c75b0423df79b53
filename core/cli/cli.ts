// Entry point of the `voxlab` binary (bin/voxlab.js imports the compiled copy of this file).
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2));
