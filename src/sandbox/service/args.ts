/**
 * The demo service's command line (`--name=NODE --listen=HOST:PORT --join=GOSSIP --cold-ms=N
 * [--keyring-file=FILE]`), built and parsed here so the spawner, the parser and the /proc check
 * that recognises a service by its argv agree. Always the `--flag=value` form.
 */
export interface ServiceArgs {
  name: string;
  listen: string;
  join: string[];
  coldMs: number;
  keyringFile?: string;
}

export function serviceArgs(args: ServiceArgs): string[] {
  return [
    `--name=${args.name}`,
    `--listen=${args.listen}`,
    ...args.join.map((j) => `--join=${j}`),
    `--cold-ms=${args.coldMs}`,
    ...(args.keyringFile !== undefined ? [`--keyring-file=${args.keyringFile}`] : []),
  ];
}

export function parseServiceArgs(argv: readonly string[]): ServiceArgs {
  const values = new Map<string, string[]>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match) throw new Error(`unexpected argument ${arg}`);
    values.set(match[1] as string, [...(values.get(match[1] as string) ?? []), match[2] as string]);
  }
  const one = (name: string): string | undefined => values.get(name)?.[0];
  const name = one('name');
  const listen = one('listen');
  const join = values.get('join') ?? [];
  const coldMs = Number(one('cold-ms') ?? '0');
  if (name === undefined || listen === undefined || join.length === 0) throw new Error('--name, --listen and --join are required');
  if (!Number.isFinite(coldMs) || coldMs < 0) throw new Error(`--cold-ms ${one('cold-ms')} is not a number of milliseconds`);
  const keyringFile = one('keyring-file');
  return { name, listen, join, coldMs, ...(keyringFile !== undefined ? { keyringFile } : {}) };
}
