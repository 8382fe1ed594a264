/**
 * The DataStax Node.js driver's own token map (cassandra-driver's Metadata), built offline from
 * hosts and their tokens: an independent Murmur3Partitioner ring with SimpleStrategy replicas.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
const Metadata = require('cassandra-driver/lib/metadata') as any;
const { Host, HostMap } = require('cassandra-driver/lib/host') as any;
const clientOptions = require('cassandra-driver/lib/client-options') as any;
const schemaParser = require('cassandra-driver/lib/metadata/schema-parser') as any;

export interface DriverRing {
  /** Replica addresses for a text partition key, primary first (SimpleStrategy with `rf`). */
  replicas(key: string): string[];
}

export function driverRing(hosts: { addr: string; tokens: bigint[] }[], rf: number): DriverRing {
  const options = clientOptions.extend({ contactPoints: ['127.0.0.1'], localDataCenter: 'dc1' });
  const metadata = new Metadata(options, {});
  metadata.setPartitioner('org.apache.cassandra.dht.Murmur3Partitioner');
  const map = new HostMap();
  for (const { addr, tokens } of hosts) {
    const host = new Host(addr, 4, options, metadata);
    host.tokens = tokens.map(String);
    host.datacenter = 'dc1';
    host.rack = 'rack1';
    map.set(addr, host);
  }
  metadata.buildTokens(map);
  const parser = schemaParser.getByVersion(options, {}, null, [4, 0, 0]);
  metadata.keyspaces.ks = parser._createKeyspace('ks', true, 'org.apache.cassandra.locator.SimpleStrategy', { replication_factor: String(rf) });
  return {
    replicas: (key) => (metadata.getReplicas('ks', Buffer.from(key, 'utf8')) as { address: string }[]).map((h) => h.address),
  };
}
