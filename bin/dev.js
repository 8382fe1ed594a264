#!/usr/bin/env node
// Development entry point: compiles the TypeScript sources (the bundle and oclif's manifest), then runs them like bin/run.js.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/bundle.js'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/manifest.js'], { cwd: root, stdio: 'inherit' });
const { main } = createRequire(import.meta.url)('../dist/bundle/cli.cjs');
await main(process.argv.slice(2), import.meta.url);
