/** The local sandbox cluster: real serf agents on 127.0.0.1 (CLI.md `sandbox up | down | status`). */
export { sandboxUp, SANDBOX_TAG, MAX_NODES, type SandboxUpOptions, type SandboxUpResult } from './up.js';
export { sandboxDown, type SandboxDownOptions, type SandboxDownResult } from './down.js';
export { sandboxStatus, type SandboxStatusOptions, type SandboxStatusResult, type SandboxAgentStatus } from './status.js';
export { defaultStateDir, sandboxPaths, type SandboxAgent, type SandboxState } from './state.js';
export { findSerf } from './serf-binary.js';
export { serfMembers, parseSerfMembers, type SerfMember } from './members.js';
export { isSandboxAgent } from './agent-process.js';
export { stopAgents, type StopOutcome, type StoppedAgent } from './stop.js';
