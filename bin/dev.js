#!/usr/bin/env -S node --import tsx
// Runs the TypeScript sources directly (development only; bin/run.js runs the build).
import { main } from '../src/cli/main.ts';

await main(process.argv.slice(2), import.meta.url);
