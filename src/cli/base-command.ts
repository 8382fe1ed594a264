/**
 * What every ringside command shares: --json and --debug, JSON output that keeps 64-bit values
 * exact (decimal strings), and a run() that returns the data it rendered (so tests and scripts
 * get the same data as the table).
 */
import { Command, Flags } from '@oclif/core';

export function toJson(data: unknown, pretty = true): string {
  return JSON.stringify(data, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), pretty ? 2 : undefined);
}

export abstract class RingsideCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({ description: 'print one JSON document on stdout and nothing else' }),
    debug: Flags.boolean({ description: 'print stack traces with errors' }),
  };

  /** Prints `data` as JSON, or calls `render` for people. */
  protected output<T>(data: T, json: boolean, render: (data: T) => string): T {
    process.stdout.write(json ? `${toJson(data)}\n` : `${render(data)}\n`);
    return data;
  }
}
