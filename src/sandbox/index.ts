/** The local sandbox cluster: real serf agents on 127.0.0.1 (CLI.md `sandbox up | down | status`). */
export { sandboxUp, SANDBOX_TAG, MAX_NODES, type SandboxUpOptions, type SandboxUpResult } from './up.js';
export { sandboxDown, type SandboxDownOptions, type SandboxDownResult } from './down.js';
export { sandboxStatus, type SandboxStatusOptions, type SandboxStatusResult, type SandboxAgentStatus, type SandboxServiceStatus } from './status.js';
export { startKvService, FORWARDED_HEADER, type KvService, type KvServiceOptions, type KvServiceStats } from './service/server.js';
export { ownershipOf, SERVICE_TAG, type Ownership, type Owner } from './service/ownership.js';
export { createKvStore, type KvStore, type KvEntry, type KvRead } from './service/kv-store.js';
export { isSandboxService, type SandboxService } from './service/process.js';
export { DEFAULT_COLD_MS } from './service/start-services.js';
export { defaultStateDir, sandboxPaths, type SandboxAgent, type SandboxState } from './state.js';
export { findSerf } from './serf-binary.js';
export { serfMembers, parseSerfMembers, type SerfMember } from './members.js';
export { isSandboxAgent } from './agent-process.js';
export { stopAgents, type StopOutcome, type StoppedAgent } from './stop.js';
