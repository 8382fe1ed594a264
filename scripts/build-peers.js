#!/usr/bin/env node
// Builds the test peers written in other languages (Go, Java) from their registries, so that the
// live suites run against what users run today. Each peer is a folder under test/peers/ with a
// `peer-build.js` that exports `peer`:
//   { name, inputs: [paths relative to that folder], outputs: [paths relative to test/peers/.bin],
//     build({ dir, bin, run, log }) }
// A peer is rebuilt when its inputs, its build recipe or the toolchain changed (a stamp in
// test/peers/.bin/<name>.stamp); Go's module and build caches (go env GOMODCACHE, GOCACHE) are
// reused between runs on the same machine. A peer that cannot be built stops the run with one
// line naming the peer and the failing command: the suites never skip for want of a peer.
// `node scripts/build-peers.js [NAME...]` builds only the named peers.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const peersDir = join(root, 'test/peers');
export const binDir = join(peersDir, '.bin');

function log(message) {
  process.stderr.write(`peers: ${message}\n`);
}

class BuildError extends Error {}

/** Runs a command to completion (output shown only when it fails); throws BuildError naming it. */
function run(command, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    ...options,
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false', ...(options.env ?? {}) },
  });
  const line = `${command} ${args.join(' ')}`;
  if (result.error) throw new BuildError(`${line}: ${result.error.message}`);
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new BuildError(`${line} exited ${result.status}`);
  }
  log(`  ${line} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result.stdout;
}

function toolchain() {
  const version = (command, args) => {
    const r = spawnSync(command, args, { encoding: 'utf8' });
    return r.error ? `${command}: none` : `${r.stdout}${r.stderr}`.trim().split('\n')[0];
  };
  return [version('go', ['version']), version('javac', ['-version'])].join('; ');
}

async function loadPeers() {
  const peers = [];
  for (const entry of readdirSync(peersDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = join(peersDir, entry.name, 'peer-build.js');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const { peer } = await import(pathToFileURL(file).href);
    peers.push({ ...peer, dir: join(peersDir, entry.name), recipe: file });
  }
  return peers;
}

function stampOf(peer) {
  const hash = createHash('sha256');
  hash.update(toolchain());
  for (const path of [peer.recipe, ...peer.inputs.map((i) => join(peer.dir, i))]) hash.update(`${path}\0`).update(readFileSync(path));
  return hash.digest('hex');
}

export async function buildPeers(names = []) {
  mkdirSync(binDir, { recursive: true });
  const peers = (await loadPeers()).filter((p) => names.length === 0 || names.includes(p.name));
  const unknown = names.filter((n) => !peers.some((p) => p.name === n));
  if (unknown.length > 0) throw new BuildError(`no peer named ${unknown.join(', ')}`);
  for (const peer of peers) {
    const stampFile = join(binDir, `${peer.name}.stamp`);
    const stamp = stampOf(peer);
    const built = peer.outputs.every((o) => existsSync(join(binDir, o)));
    if (built && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) continue;
    const started = Date.now();
    log(`building ${peer.name}`);
    try {
      await peer.build({ dir: peer.dir, bin: binDir, run, log });
    } catch (error) {
      throw new BuildError(`cannot build the test peer ${peer.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const missing = peer.outputs.filter((o) => !existsSync(join(binDir, o)));
    if (missing.length > 0) throw new BuildError(`building ${peer.name} did not make ${missing.join(', ')}`);
    writeFileSync(stampFile, stamp);
    log(`built ${peer.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildPeers(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`peers: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
