/**
 * Entry script of one demo service process, started by `sandbox up --service` (process.ts) with
 * `--name=NODE --listen=HOST:PORT --join=GOSSIP --cold-ms=N [--keyring-file=FILE]`. Logs one
 * JSON line when ready; SIGTERM or SIGINT close it cleanly. Not a user-facing command.
 */
import { parseHostPort } from '../../cluster/member.js';
import { parseServiceArgs } from './args.js';
import { startKvService } from './server.js';

async function main(): Promise<void> {
  const args = parseServiceArgs(process.argv.slice(2));
  const listen = parseHostPort(args.listen);
  if (listen === undefined) throw new Error(`--listen ${args.listen} is not HOST:PORT`);
  const service = await startKvService({
    name: args.name,
    host: listen.host,
    port: listen.port,
    coldMs: args.coldMs,
    join: args.join,
    ...(args.keyringFile !== undefined ? { keyringFile: args.keyringFile } : {}),
  });
  process.stdout.write(`${JSON.stringify({ event: 'ready', node: args.name, url: service.url, coldMs: args.coldMs, ring: service.stats().ring })}\n`);
  let closing = false;
  const stop = (): void => {
    if (closing) process.exit(1);
    closing = true;
    void service.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`ringside demo service: ${(error as Error).message}\n`);
  process.exit(1);
});
