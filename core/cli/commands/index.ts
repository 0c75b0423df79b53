// Every `voxlab` subcommand, in the order `voxlab --help` lists them.
import type { Command } from '../command.js';
import { convertCommand } from './convert.js';
import { demoCommand } from './demo.js';
import { doctorCommand } from './doctor.js';
import { evaluateCommand } from './evaluate.js';
import { explainCommand } from './explain.js';
import { exportCommand } from './exportLabels.js';
import { exportBundleCommand } from './exportBundle.js';
import { exportOnnxCommand } from './exportOnnx.js';
import { importCommand } from './importStudy.js';
import { inferCommand } from './infer.js';
import { infoCommand } from './info.js';
import { nextCommand } from './next.js';
import { preprocessCommand } from './preprocess.js';
import { serveCommand } from './serve.js';
import { synthCommand } from './synth.js';
import { trainCommand } from './train.js';
import { agreementCommand } from './agreement.js';
import { auditCommand } from './audit.js';
import { usersCommand } from './users.js';
import { modelsCommand } from './models.js';

export const COMMANDS: readonly Command[] = [infoCommand, convertCommand, preprocessCommand, importCommand, exportCommand, exportBundleCommand, synthCommand, trainCommand, evaluateCommand, inferCommand, explainCommand, nextCommand, exportOnnxCommand, modelsCommand, doctorCommand, demoCommand, serveCommand, usersCommand, auditCommand, agreementCommand];
