import { Flags } from '@oclif/core';
import { diffMembers, type MembershipEvent } from '../cluster/events.js';
import { createObserver } from '../cluster/live.js';
import type { Member } from '../cluster/member.js';
import { usageError } from '../errors.js';
import { RingsideCommand, toJson } from '../cli/base-command.js';
import { sourceFlags } from '../cli/flags.js';
import { liveOptions } from '../cli/options.js';
import { parseDuration } from '../units.js';

export default class Watch extends RingsideCommand {
  static override summary = 'Stream membership changes until --duration ends or Ctrl-C';
  static override description = 'With --json, NDJSON: a snapshot line, then one line per change (joined, alive, suspect, failed, left, updated). A member-mode observer leaves the cluster gracefully on exit.';
  static override examples = ['<%= config.bin %> watch --join 127.0.0.1:7946', '<%= config.bin %> watch --join 127.0.0.1:7946 --mode member --duration 60s --json'];

  static override flags = {
    ...sourceFlags,
    duration: Flags.string({ helpValue: 'DURATION', description: 'stop after this long (default: until Ctrl-C)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Watch);
    if (!flags.join?.length) throw usageError('watch needs a live cluster', 'pass --join HOST:PORT');
    const durationMs = flags.duration === undefined ? undefined : parseDuration(flags.duration, 'duration');
    const observer = await createObserver(liveOptions(flags));
    await observer.start();
    let current: Member[] = observer.members();
    const write = (line: string): void => void process.stdout.write(`${line}\n`);
    if (flags.json) write(toJson({ type: 'snapshot', ts: new Date().toISOString(), members: current }, false));
    else write(`${current.length} members: ${current.map((m) => `${m.name} ${m.status}`).join(', ')}`);
    observer.onChange((members) => {
      const events = diffMembers(current, members, new Date().toISOString());
      current = members;
      for (const event of events) write(flags.json ? toJson(event, false) : describe(event));
    });
    await new Promise<void>((resolve) => {
      const timer = durationMs === undefined ? undefined : setTimeout(() => done(), durationMs);
      const done = (): void => {
        clearTimeout(timer);
        process.off('SIGINT', done);
        process.off('SIGTERM', done);
        resolve();
      };
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await observer.stop();
  }
}

function describe(event: MembershipEvent): string {
  const was = event.previous ? ` (was ${event.previous})` : '';
  return `${event.ts}  ${event.type.padEnd(7)}  ${event.member}  ${event.addr || '-'}${was}`;
}
