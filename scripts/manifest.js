#!/usr/bin/env node
// Writes oclif.manifest.json after a build, so a command starts without importing every other
// command's module (oclif reads flags and help from the manifest).
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
// oclif would read the previous manifest back instead of the commands just built.
rmSync(`${root}oclif.manifest.json`, { force: true });
const config = await Config.load(root);
const plugin = config.plugins.get(config.pjson.name);
writeFileSync(`${root}oclif.manifest.json`, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
