/**
 * Worker-thread entry: runs a ProbeEngine for the plan it was given and talks to the coordinator
 * (run.ts) with plain messages: ready -> start -> interval... -> done; stop at any time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fromHrtime } from './clock.js';
import { ProbeEngine } from './engine.js';
import type { WorkerPlan } from './lanes.js';

const port = parentPort;
if (port) {
  const plan = workerData as WorkerPlan;
  try {
    const engine = new ProbeEngine(
      plan,
      (message) => port.postMessage(message),
      () => {
        port.postMessage({ type: 'done', worker: plan.worker });
        port.close();
      },
    );
    port.on('message', (message: { type: string; startHrtime?: string }) => {
      if (message.type === 'start') engine.start(fromHrtime(BigInt(message.startHrtime as string)));
      else if (message.type === 'stop') engine.stop();
    });
    engine.prepare().then(
      () => port.postMessage({ type: 'ready', worker: plan.worker }),
      (error: unknown) => port.postMessage({ type: 'error', message: (error as Error).message }),
    );
  } catch (error) {
    port.postMessage({ type: 'error', message: (error as Error).message });
  }
}
