/** Stopping demo services by PID, with the same SIGTERM/SIGKILL discipline as the agents. */
import { type StopTimings, type StoppedAgent, stopProcesses } from '../stop.js';
import { type SandboxService, isSandboxService, signalService } from './process.js';

export function stopServices(services: readonly SandboxService[], timings: StopTimings = {}): Promise<StoppedAgent[]> {
  return stopProcesses(services, { isOurs: isSandboxService, signal: signalService }, timings);
}
