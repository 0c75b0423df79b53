// ESLint flat config. The layer rules of shared/STYLE.md are errors here: the folder says where code
// runs, and core never imports UI code, as VS Code's layer checks enforce.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'zlib', 'crypto', 'http', 'net', 'url'];
const uiPackages = ['electron', 'react', 'react-dom', 'zustand', '@cornerstonejs/*'];
const nativePackages = [
  'better-sqlite3',
  'onnxruntime-node',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  'webgpu',
  '@tensorflow/tfjs-backend-webgpu',
];

/** Patterns for no-restricted-imports: a package name and everything below it. */
const pkgPatterns = (names) => names.flatMap((n) => [n, `${n}/*`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'e2e-output/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    settings: { 'import-x/resolver': { node: true } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './core', from: ['./renderer', './electron'], message: 'core never imports UI or Electron code.' },
            { target: './renderer', from: './electron', message: 'renderer talks to electron only through window.voxlab.' },
            {
              target: './renderer',
              from: './core',
              except: ['./api', './common'],
              message: 'renderer imports from core only api (types) and common.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: pkgPatterns(uiPackages), message: 'core never imports electron, react, zustand or Cornerstone.' }] },
      ],
    },
  },
  {
    files: ['core/common/**/*.ts', 'core/api/**/*.ts', 'core/transforms/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((n) => [n, `node:${n}`]),
          patterns: [
            { group: pkgPatterns(uiPackages), message: 'core never imports electron, react, zustand or Cornerstone.' },
            { group: ['node:*'], message: 'common, api and transforms run in the renderer too: no Node built-ins.' },
            { group: pkgPatterns(nativePackages), message: 'common, api and transforms stay free of native packages.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/stores/**', 'renderer/viewer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((n) => [n, `node:${n}`]),
          patterns: [
            { group: ['node:*'], message: 'renderer runs in the browser: no Node built-ins.' },
            { group: pkgPatterns([...nativePackages, 'electron']), message: 'renderer imports no native packages or electron.' },
            { group: pkgPatterns(['zustand']), message: 'zustand lives only in renderer/stores (one store per concern).' },
            { group: pkgPatterns(['@cornerstonejs/core', '@cornerstonejs/tools']), message: 'Cornerstone lives only in renderer/viewer.' },
          ],
        },
      ],
    },
  },
  {
    // Stores: zustand yes, Cornerstone objects never (stores hold ids and presentation).
    files: ['renderer/stores/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((n) => [n, `node:${n}`]),
          patterns: [
            { group: ['node:*'], message: 'renderer runs in the browser: no Node built-ins.' },
            { group: pkgPatterns([...nativePackages, 'electron']), message: 'renderer imports no native packages or electron.' },
            { group: pkgPatterns(['@cornerstonejs/core', '@cornerstonejs/tools']), message: 'stores hold ids and presentation, never Cornerstone objects.' },
          ],
        },
      ],
    },
  },
  {
    // The viewer: Cornerstone yes, zustand only through the stores' hooks.
    files: ['renderer/viewer/**/*.ts', 'renderer/viewer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((n) => [n, `node:${n}`]),
          patterns: [
            { group: ['node:*'], message: 'renderer runs in the browser: no Node built-ins.' },
            { group: pkgPatterns([...nativePackages, 'electron']), message: 'renderer imports no native packages or electron.' },
            { group: pkgPatterns(['zustand']), message: 'zustand lives only in renderer/stores (one store per concern).' },
          ],
        },
      ],
    },
  },
  {
    // The preload runs sandboxed: it may import electron and the contract (bundled in), nothing of Node.
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((n) => [n, `node:${n}`]),
          patterns: [
            { group: ['node:*'], message: 'the sandboxed preload has no Node built-ins.' },
            { group: pkgPatterns(nativePackages), message: 'the preload loads no native packages.' },
          ],
        },
      ],
      'import-x/no-restricted-paths': [
        'error',
        { zones: [{ target: './electron/preload', from: './core', except: ['./api', './common'], message: 'the preload imports only core/api and core/common.' }] },
      ],
    },
  },
);
