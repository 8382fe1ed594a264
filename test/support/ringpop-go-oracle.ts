/**
 * Asks ringpop-go v0.10.0's own hashring package (the ring-oracle mode of the built ringpop-go
 * peer, test/peers/ringpop-go/oracle.go) to answer ring questions, as ringpop-oracle.ts does with
 * ringpop-node's HashRing.
 */
import { execFile } from 'node:child_process';
import { builtPeer } from '../peers/built.js';

export interface GoOracleRequest {
  /** `identity`: the member's __identity label (ringpop-go's Identity option). */
  servers: { address: string; identity?: string }[];
  replicaPoints?: number;
  keys?: string[];
  n?: number;
}

export interface GoOracleAnswer {
  /** The ring's legacy checksum (what /admin/stats reports as ring.checksum). */
  checksum: number;
  checksums: Record<string, number>;
  lookup: string[];
  lookupN?: string[][];
}

export function askRingpopGo(request: GoOracleRequest): Promise<GoOracleAnswer> {
  const node = builtPeer('ringpop-go/node');
  return new Promise((resolve, reject) => {
    const child = execFile(node, ['ring-oracle'], { maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`ringpop-go ring-oracle failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as GoOracleAnswer);
    });
    child.stdin?.end(JSON.stringify(request));
  });
}
