/** What every ring shares: names from indices, and ownership as a map. */
import type { Algorithm, OwnershipReport, Partition, Ring, RingNode, RingSettings } from './types.js';

export abstract class BaseRing implements Ring {
  private report: OwnershipReport | undefined;
  private readonly partitions = new Map<number, Partition>();

  constructor(
    readonly algorithm: Algorithm,
    readonly nodes: readonly RingNode[],
    readonly settings: RingSettings,
  ) {}

  abstract keyHash(key: string): number | bigint;
  abstract ownerIndex(key: string): number;
  abstract ownerIndices(key: string, n: number): number[];
  protected abstract computeOwnership(): OwnershipReport;
  protected abstract computePartition(replicas: number): Partition;

  owner(key: string): string {
    return (this.nodes[this.ownerIndex(key)] as RingNode).id;
  }

  owners(key: string, n: number): string[] {
    return this.ownerIndices(key, n).map((i) => (this.nodes[i] as RingNode).id);
  }

  /** Computed once per ring; rings are immutable. */
  ownershipReport(): OwnershipReport {
    this.report ??= this.computeOwnership();
    return this.report;
  }

  /** Computed once per replica count; rings are immutable. */
  partition(replicas: number): Partition {
    let partition = this.partitions.get(replicas);
    if (!partition) {
      partition = this.computePartition(replicas);
      this.partitions.set(replicas, partition);
    }
    return partition;
  }

  ownership(): Map<string, number> {
    const { shares } = this.ownershipReport();
    return new Map(this.nodes.map((node, i) => [node.id, shares[i] as number]));
  }
}
