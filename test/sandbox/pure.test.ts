// The sandbox's pure parts, with vectors: argv building, state-file checks, the default state
// dir, PATH lookup and how serf's error output becomes one line.
import { chmodSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agentArgv } from '../../src/sandbox/agent-process.js';
import { findOnPath, serfReason } from '../../src/sandbox/serf-binary.js';
import { defaultStateDir, parseState } from '../../src/sandbox/state.js';
import { tempFiles } from '../support/cli.js';

describe('agentArgv', () => {
  it('names, binds and tags the agent; an encrypted agent gets a config file, never the key', () => {
    expect(agentArgv({ name: 'sandbox-2', bind: '127.0.0.1:7000', rpc: '127.0.0.1:7001', tags: { sandbox: 'ringside', zone: 'b' }, configFile: '/s/serf-agent.json' })).toEqual([
      'agent',
      '-node=sandbox-2',
      '-bind=127.0.0.1:7000',
      '-rpc-addr=127.0.0.1:7001',
      '-config-file=/s/serf-agent.json',
      '-tag',
      'sandbox=ringside',
      '-tag',
      'zone=b',
      '-log-level=info',
    ]);
  });
});

describe('parseState', () => {
  const agent = { name: 'sandbox-1', pid: 4242, bind: '127.0.0.1:7000', rpc: '127.0.0.1:7001', logFile: '/s/sandbox-1.log', tags: {} };
  const state = { kind: 'ringside.sandbox', version: 1, createdAt: '2026-01-01T00:00:00.000Z', encrypted: false, keyringFile: null, agents: [agent] };

  it('accepts what up writes', () => {
    expect(parseState(JSON.stringify(state))).toEqual(state);
  });

  it.each([
    ['not JSON', '{'],
    ['another kind', JSON.stringify({ ...state, kind: 'ringside.snapshot' })],
    ['pid 0 (would signal our own process group)', JSON.stringify({ ...state, agents: [{ ...agent, pid: 0 }] })],
    ['pid -1 (would signal every process)', JSON.stringify({ ...state, agents: [{ ...agent, pid: -1 }] })],
    ['pid 1', JSON.stringify({ ...state, agents: [{ ...agent, pid: 1 }] })],
    ['pid as a string', JSON.stringify({ ...state, agents: [{ ...agent, pid: '4242' }] })],
  ])('rejects %s', (_name, text) => {
    expect(parseState(text)).toBeNull();
  });

  it('says so when the state comes from a newer ringside', () => {
    expect(() => parseState(JSON.stringify({ ...state, version: 2 }))).toThrow(/sandbox state version 2 is not supported/);
  });
});

describe('defaultStateDir', () => {
  it('prefers $RINGSIDE_STATE_DIR, then $XDG_STATE_HOME, then ~/.local/state', () => {
    expect(defaultStateDir({ RINGSIDE_STATE_DIR: '/r', XDG_STATE_HOME: '/x' }, '/home/u')).toBe('/r');
    expect(defaultStateDir({ XDG_STATE_HOME: '/x' }, '/home/u')).toBe('/x/ringside/sandbox');
    expect(defaultStateDir({ RINGSIDE_STATE_DIR: '', XDG_STATE_HOME: '' }, '/home/u')).toBe('/home/u/.local/state/ringside/sandbox');
  });
});

describe('findOnPath', () => {
  it('finds executables in absolute PATH entries only', () => {
    const files = tempFiles({ serf: '#!/bin/sh\n', 'not-exec': '' });
    try {
      chmodSync(files.path('serf'), 0o755);
      expect(findOnPath('serf', `relative:${files.dir}`)).toBe(files.path('serf'));
      expect(findOnPath('not-exec', files.dir)).toBeUndefined();
      expect(findOnPath('serf', '')).toBeUndefined();
      expect(findOnPath('serf', undefined)).toBeUndefined();
    } finally {
      files.cleanup();
    }
  });
});

describe('serfReason', () => {
  it.each([
    [
      'a wrapped join error on stdout',
      { code: 1, stderr: '', stdout: 'Error joining the cluster: 1 error occurred:\n\t* Failed to join 127.0.0.1: dial tcp 127.0.0.1:1: connect: connection refused\n\n\n' },
      'Error joining the cluster: Failed to join 127.0.0.1: dial tcp 127.0.0.1:1: connect: connection refused',
    ],
    ['an RPC error', { code: 1, stderr: '', stdout: 'Error connecting to Serf agent: dial tcp 127.0.0.1:1: connect: connection refused\n' }, 'Error connecting to Serf agent: dial tcp 127.0.0.1:1: connect: connection refused'],
    ['an agent start failure', { code: 1, stderr: '==> Failed to start the Serf agent: bind: address already in use\n', stdout: '' }, 'Failed to start the Serf agent: bind: address already in use'],
    ['nothing at all', { code: 3, stderr: '', stdout: '' }, 'exit code 3'],
  ])('%s', (_name, run, line) => {
    expect(serfReason(run)).toBe(line);
  });
});
