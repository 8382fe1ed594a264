/** Asks the real ringpop 10.21.0 HashRing (test/peers/ringpop) to answer ring questions. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const peerDir = fileURLToPath(new URL('../peers/ringpop/', import.meta.url));

export interface OracleRequest {
  servers: string[];
  replicaPoints?: number;
  hash?: 'fingerprint32' | 'hash32';
  keys?: string[];
  n?: number;
}

export interface OracleAnswer {
  checksum: number | null;
  lookup: (string | null)[];
  lookupN?: string[][];
}

export function ringpopPeerDir(): string {
  if (!existsSync(`${peerDir}node_modules/ringpop`)) {
    throw new Error(`the ringpop peer is not installed: run "node scripts/setup-test-env.js" (or npm test, which runs it first)`);
  }
  return peerDir;
}

export function askRingpop(request: OracleRequest): Promise<OracleAnswer> {
  const dir = ringpopPeerDir();
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [`${dir}ring-oracle.cjs`], { maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`ring-oracle failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as OracleAnswer);
    });
    child.stdin?.end(JSON.stringify(request));
  });
}
