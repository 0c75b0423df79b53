// Every `voxlab` subcommand, in the order `voxlab --help` lists them.
import type { Command } from '../command.js';
import { convertCommand } from './convert.js';
import { demoCommand } from './demo.js';
import { doctorCommand } from './doctor.js';
import { evaluateCommand } from './evaluate.js';
import { exportCommand } from './exportLabels.js';
import { importCommand } from './importStudy.js';
import { infoCommand } from './info.js';
import { preprocessCommand } from './preprocess.js';
import { synthCommand } from './synth.js';
import { trainCommand } from './train.js';

export const COMMANDS: readonly Command[] = [infoCommand, convertCommand, preprocessCommand, importCommand, exportCommand, synthCommand, trainCommand, evaluateCommand, doctorCommand, demoCommand];
