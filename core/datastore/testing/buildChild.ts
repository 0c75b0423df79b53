// Builds a TypeScript entry file and everything it imports relatively into plain ES modules, so a test can
// run our real datastore code in a child process with bare `node` (Node 20 cannot run .ts itself, and no
// TypeScript runner is installed). Uses the `typescript` package's transpileModule: no type checking, which
// the normal typecheck covers.

import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  verbatimModuleSyntax: true,
  sourceMap: false,
};

/** The .ts files that `file` imports with relative '.js' specifiers. */
function relativeImports(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((spec) => spec.startsWith('./') || spec.startsWith('../'))
    .map((spec) => path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
}

/**
 * Transpiles `entry` (absolute, under `repoRoot`) and its relative imports into `outDir`, keeping the
 * folder layout, with a package.json ({"type": "module"}) and a link to the repository's node_modules so
 * that packages resolve. Returns the path of the built entry (.js).
 */
export function buildChild(entry: string, repoRoot: string, outDir: string): string {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const out = path.join(outDir, path.relative(repoRoot, file).replace(/\.ts$/, '.js'));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, ts.transpileModule(text, { compilerOptions: COMPILER_OPTIONS, fileName: file }).outputText);
    queue.push(...relativeImports(file, text));
  }
  writeFileSync(path.join(outDir, 'package.json'), '{"type": "module"}\n');
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(outDir, 'node_modules'), 'junction');
  return path.join(outDir, path.relative(repoRoot, entry).replace(/\.ts$/, '.js'));
}
