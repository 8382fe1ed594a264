/** The local journal and the dashboard's view of it (files on disk, no hosts needed). */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultJournalDir, listActiveFaults } from '../../chaos/index.js';
import { JOURNAL_KIND, JOURNAL_VERSION, type JournalRecord, hostJournalPaths, readJournals, writeJournal } from '../../chaos/journal.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function record(id: string, patch: Partial<JournalRecord> = {}): JournalRecord {
  return {
    kind: JOURNAL_KIND,
    version: JOURNAL_VERSION,
    id,
    fault: 'partition',
    summary: `partition ${id}`,
    targets: ['10.0.0.1', '10.0.0.2'],
    spec: { kind: 'partition', cuts: [], target: { ports: [], protocol: 'all' }, description: 'x' },
    state: 'active',
    appliedAtMs: 1_000,
    expiresAtMs: 61_000,
    deadmanAtMs: Date.now() + 60_000,
    detached: false,
    pid: process.pid,
    hosts: ['netns:n1', 'netns:n2'].map((on) => ({ on, journalFile: `/run/ringside/chaos/${id}.json`, pidFile: `/run/ringside/chaos/${id}.pid`, revert: [], summary: `partition ${id}`, deadman: true })),
    sshOptions: [],
    ...patch,
  };
}

describe('journal', () => {
  it('defaultJournalDir follows RINGSIDE_STATE_DIR, then XDG_STATE_HOME, then ~/.local/state', () => {
    expect(defaultJournalDir({ RINGSIDE_STATE_DIR: '/s', XDG_STATE_HOME: '/x' }, '/home/u')).toBe('/s/chaos');
    expect(defaultJournalDir({ XDG_STATE_HOME: '/x' }, '/home/u')).toBe('/x/ringside/chaos');
    expect(defaultJournalDir({}, '/home/u')).toBe('/home/u/.local/state/ringside/chaos');
  });

  it('writes atomically (no temp files left) and lists active faults, leaving out those whose dead-man has fired', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringside-journal-'));
    dirs.push(dir);
    writeJournal(dir, record('aaa1'));
    writeJournal(dir, record('bbb2', { fault: 'loss', expiresAtMs: null, deadmanAtMs: null, detached: true, pid: null }));
    writeJournal(dir, record('ccc3', { deadmanAtMs: Date.now() - 1 }));
    writeFileSync(join(dir, 'garbage.json'), '{not json');
    expect(readdirSync(dir).sort()).toEqual(['aaa1.json', 'bbb2.json', 'ccc3.json', 'garbage.json']);
    expect(readJournals(dir).map((r) => r.id)).toEqual(['aaa1', 'bbb2', 'ccc3']);
    expect(await listActiveFaults({ journalDir: dir })).toEqual([
      { id: 'aaa1', kind: 'partition', targets: ['10.0.0.1', '10.0.0.2'], summary: 'partition aaa1', appliedAtMs: 1_000, expiresAtMs: 61_000, on: ['netns:n1', 'netns:n2'] },
      { id: 'bbb2', kind: 'loss', targets: ['10.0.0.1', '10.0.0.2'], summary: 'partition bbb2', appliedAtMs: 1_000, expiresAtMs: null, on: ['netns:n1', 'netns:n2'] },
    ]);
    expect(await listActiveFaults({ journalDir: join(dir, 'missing') })).toEqual([]);
  });

  it('gives each executor its own host journal files (namespaces on one machine share a file system)', () => {
    expect(hostJournalPaths('/run/ringside/chaos', 'ab12', 'netns:n1')).toEqual({ journalFile: '/run/ringside/chaos/ab12.netns_n1.json', pidFile: '/run/ringside/chaos/ab12.netns_n1.pid' });
    expect(hostJournalPaths('/d', 'ab12', 'ssh:root@10.0.0.1:2222').journalFile).toBe('/d/ab12.ssh_root_10.0.0.1_2222.json');
  });
});
