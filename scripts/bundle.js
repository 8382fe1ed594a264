#!/usr/bin/env node
// Start-up: after tsc, bundles what a process loads into dist/bundle/ with esbuild: the CLI (its
// entry and one file per command, as oclif finds them) and the library's entry points, split so
// that code used by several of them lives once in a shared chunk (one RingsideError class, one
// oclif). Node then reads a handful of files instead of resolving and compiling hundreds of small
// modules (ours and @oclif/core's) on every `ringside ...`: docs/benchmarks.md has the figures.
// The bundle is the same code tsc emitted to dist/src, unchanged: the type declarations, the
// worker thread and the demo service's script stay in dist/src; the packages ringside depends on
// (but oclif) are loaded from node_modules as before, and only when a command needs them.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'src');
const out = join(root, 'dist', 'bundle');

function jsFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? jsFiles(path) : path.endsWith('.js') ? [path] : [];
  });
}

const entryPoints = {
  'cli/main': join(built, 'cli/main.js'),
  index: join(built, 'index.js'),
  ...Object.fromEntries(readdirSync(join(built, 'lib')).filter((f) => f.endsWith('.js')).map((f) => [`lib/${f.replace(/\.js$/, '')}`, join(built, 'lib', f)])),
  ...Object.fromEntries(jsFiles(join(built, 'commands')).map((file) => [relative(built, file).replace(/\.js$/, ''), file])),
};
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
const result = await build({
  entryPoints,
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Packages stay where npm put them (loaded only by the commands that use them), except oclif,
  // whose ~150 CommonJS modules are most of a command's start-up. oclif loads TypeScript only to
  // run uncompiled commands in development: never here.
  external: [...Object.keys(dependencies).filter((name) => name !== '@oclif/core'), 'typescript', 'ts-node'],
  // oclif's CommonJS code calls require() for Node's own modules.
  banner: { js: "import { createRequire as __ringsideCreateRequire } from 'node:module';\nconst require = __ringsideCreateRequire(import.meta.url);" },
  // Short names parse faster; class and function names are kept (error names, --debug stacks).
  minify: true,
  keepNames: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});
const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
const bytes = files.reduce((sum, f) => sum + result.metafile.outputs[f].bytes, 0);
console.log(`bundle: ${Object.keys(entryPoints).length} entry points, ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB in dist/bundle`);
