#!/usr/bin/env node
// The `voxlab` command. The CLI is TypeScript compiled to dist/ by `npm run build` (run by npm install).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/core/cli/cli.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write("voxlab: the CLI is not built yet. Run 'npm run build' in the voxlab folder.\n");
  process.exit(1);
}
await import(entry);
