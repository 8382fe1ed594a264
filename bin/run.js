#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the bundle between runs (in the OS temp dir, Node's own
// mechanism; NODE_DISABLE_COMPILE_CACHE=1 turns it off). Node 20 has no such cache: a no-op.
module.enableCompileCache?.();
const { main } = await import('../dist/bundle/cli/main.js');
await main(process.argv.slice(2), import.meta.url);
