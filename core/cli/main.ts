// The `voxlab` command line: dispatches to one command per file in ./commands and turns errors into
// one readable line and a non-zero exit code, never a stack trace for bad input.

import { isVoxlabError } from '../common/errors.js';
import { commandHelp, parseCommandArgs, type Command } from './command.js';
import { COMMANDS } from './commands/index.js';

/** Exit codes: 0 ok, 1 internal error (a bug), 2 bad input or a refused operation. */
export const EXIT = { ok: 0, internal: 1, badInput: 2 } as const;

function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'voxlab: open, label, train on and explain 3D medical images',
    '',
    'usage: voxlab COMMAND [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
    '',
    "Run 'voxlab COMMAND --help' for a command's options.",
  ].join('\n');
}

/** Runs the CLI on `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], commands: readonly Command[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${mainHelp(commands)}\n`);
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`voxlab: unknown command '${name}'. Run 'voxlab --help' for the list.\n`);
    return EXIT.badInput;
  }
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help === true) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return EXIT.ok;
    }
    return await command.run(args);
  } catch (e) {
    if (isVoxlabError(e)) {
      const code = e.code === 'INTERNAL' ? EXIT.internal : EXIT.badInput;
      process.stderr.write(`voxlab ${name}: ${e.message} [${e.code}]\n`);
      return code;
    }
    process.stderr.write(`voxlab ${name}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.internal;
  }
}
