/**
 * Defaults for ringside's memberlist observers, each with its trade-off. Cluster-side timings
 * (probe interval 1 s, suspicion >= 4 s, push-pull 30 s on LAN) are memberlist's; these are ours.
 */
export const OBSERVER_DEFAULTS = {
  /** Passive: one push-pull poll per interval. Each poll makes one member serialize its whole
   *  table (cheap once a second; the cluster's own anti-entropy runs every 30 s). */
  pollIntervalMs: 1000,
  /** Give up reaching the cluster (and any single exchange) after this long. */
  timeoutMs: 5000,
  /** Largest reply accepted from one member: memberlist's own limit for encrypted state. */
  maxStreamBytes: 20 * 1024 * 1024,
  /** Members tried per passive poll before the poll counts as failed (one dead seed must not blind us). */
  pollAttempts: 3,
  /** Member mode: how long to wait for an ack when forwarding an indirect ping (memberlist LAN ProbeTimeout). */
  probeTimeoutMs: 500,
  /** Member mode: own broadcasts (alive, refutations, intents) go directly to this many members... */
  broadcastFanout: 4,
  /** ...this many times, this far apart: an observer does not re-gossip, so it repeats instead. */
  broadcastRounds: 3,
  broadcastIntervalMs: 200,
  /** Member mode: anti-entropy push-pull with one random member (memberlist LAN: 30 s). */
  pushPullIntervalMs: 30_000,
  /** Member mode: how often to check for members held suspect; once one has been for verdictAfterMs,
   *  a push-pull with a member held alive at most every verdictEveryMs (memberlist's suspicion
   *  timeout is 4 s at least, so the verdict comes a second after the agents' at most); after
   *  verdictGiveUpMs (above memberlist's longest suspicion, 72 s for 1,000 members) it stops asking. */
  verdictCheckMs: 250,
  verdictAfterMs: 1000,
  verdictEveryMs: 1000,
  verdictGiveUpMs: 120_000,
  /** Member mode: when asked to leave right after joining, wait this long from the join first, so
   *  every member has heard of us (gossip rounds are 200 ms) and takes the leave as a leave. */
  joinSettleMs: 1000,
  /** Member mode: keep answering probes this long after announcing the leave (memberlist LeavePropagateDelay). */
  leavePropagateMs: 1000,
  /** [pMin, pMax, pCur, dMin, dMax, dCur]: memberlist 1..5 speaking 2, Serf 2..5 speaking 5, as bookworm's agents. */
  vsn: Uint8Array.of(1, 5, 2, 2, 5, 5),
} as const;
