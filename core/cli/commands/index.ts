// Every `voxlab` subcommand, in the order `voxlab --help` lists them.
import type { Command } from '../command.js';
import { convertCommand } from './convert.js';
import { exportCommand } from './exportLabels.js';
import { importCommand } from './importStudy.js';
import { infoCommand } from './info.js';
import { preprocessCommand } from './preprocess.js';

export const COMMANDS: readonly Command[] = [infoCommand, convertCommand, preprocessCommand, importCommand, exportCommand];
