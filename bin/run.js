#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { loadCli } from './compile-cache.js';

// The CLI is one CommonJS bundle, compiled from V8's code cache where there is one.
const { main } = loadCli(fileURLToPath(new URL('../dist/bundle/cli.cjs', import.meta.url)));
await main(process.argv.slice(2), import.meta.url);
