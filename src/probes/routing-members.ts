/**
 * The routing probe's cluster (pure): the ring computed from a membership snapshot with the ring
 * options every ownership command uses, and for each ring node where its HTTP service listens.
 * The port comes from a member tag (`--port-tag`), which holds either a port (the host is then the
 * member's gossip host) or HOST:PORT (as the demo service's `http` tag does); without a tag, the
 * gossip address itself. Shared by `bench` and `chaos run`'s probe section.
 */
import { parseHostPort } from '../cluster/member.js';
import type { MembershipSnapshot } from '../cluster/snapshot.js';
import { usageError } from '../errors.js';
import { type ClusterRingOptions, clusterRing } from '../cluster/cluster-ring.js';
import type { BenchConfig, RoutingMember } from './types.js';
import { hasPlaceholder } from './url-template.js';

export function routingOf(snapshot: MembershipSnapshot, ringOptions: ClusterRingOptions, target: string, portTag: string | undefined): NonNullable<BenchConfig['routing']> {
  const { ring } = clusterRing(snapshot, ringOptions);
  const byName = new Map(snapshot.members.map((m) => [m.name, m]));
  if (hasPlaceholder(target, 'port') && portTag === undefined) throw usageError('--target has {port} but no --port-tag', 'name the member tag that holds the HTTP port, e.g. --port-tag http_port');
  const members: RoutingMember[] = ring.nodes.map((node) => {
    const member = byName.get(node.id);
    const gossip = member ? parseHostPort(member.addr) : undefined;
    if (!member || !gossip) throw usageError(`member "${node.id}" has no usable address`);
    if (portTag === undefined) return { name: node.id, host: gossip.host, port: gossip.port };
    const value = member.tags[portTag] ?? '';
    const hostPort = parseHostPort(value);
    if (hostPort) return { name: node.id, host: hostPort.host, port: hostPort.port };
    const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw usageError(`member "${node.id}" has no port in tag "${portTag}"`, 'tag every member with its HTTP port (PORT or HOST:PORT) or choose another --port-tag');
    return { name: node.id, host: gossip.host, port };
  });
  return { ring, members };
}
