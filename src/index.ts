/**
 * ringside as a library: the same engine the CLI runs, importable by scripts and services.
 * Everything a command does is callable from here. Each area is also importable alone, paying
 * only for what it loads: `ringside/ring`, `ringside/cluster`, `ringside/probes`,
 * `ringside/gate`, `ringside/chaos` (docs/library.md).
 */
export * from './lib/ring.js';
export * from './lib/cluster.js';
export * from './lib/probes.js';
export * from './lib/gate.js';
export * from './lib/chaos.js';
// Several subpaths export these; each subpath is bundled on its own, so name one source for them
// (a name that several `export *` provide differently would be left out).
export { RingsideError, EXIT } from './lib/ring.js';
export { parseDuration, parseSize } from './lib/cluster.js';

// --- the local sandbox cluster of real Serf agents, and its demo stateful service ---
export {
  sandboxUp,
  sandboxDown,
  sandboxStatus,
  defaultStateDir,
  findSerf,
  serfMembers,
  SANDBOX_TAG,
  type SandboxUpOptions,
  type SandboxUpResult,
  type SandboxDownOptions,
  type SandboxDownResult,
  type SandboxStatusOptions,
  type SandboxStatusResult,
  type SandboxAgent,
  type SerfMember,
} from './sandbox/index.js';
export { startKvService, ownershipOf, SERVICE_TAG, FORWARDED_HEADER, type KvService, type KvServiceOptions, type KvServiceStats, type SandboxService, type SandboxServiceStatus } from './sandbox/index.js';

// --- dashboard (issue 7): the `dash` engine and the feeds its panes consume ---
export { runDash, frameOf, ownerAnswer, type DashOptions } from '../dashboards/run-dash.js';
export { openMembership, observerFeed, type OpenedMembership } from '../dashboards/membership-source.js';
export type { FaultsFeed, LatencyFeed, LatencySource, MembershipFeed } from '../dashboards/feeds.js';
export { summarize as summarizeDash, summaryText as dashSummaryText, type DashSummary } from '../dashboards/view-models/summary.js';
