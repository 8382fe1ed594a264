// `ringside sandbox up | status | down` against real serf agents, through the built CLI.
// Every test records its state dir; afterAll stops whatever is recorded there by PID, so agents
// never outlive a failed test.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isSandboxAgent } from '../../src/sandbox/agent-process.js';
import { isAlive, processArgv } from '../../src/sandbox/processes.js';
import { sandboxDown } from '../../src/sandbox/down.js';
import { serfMembers } from '../../src/sandbox/members.js';
import type { SandboxAgent, SandboxState } from '../../src/sandbox/state.js';
import type { SandboxDownResult, SandboxStatusResult, SandboxUpResult } from '../../src/sandbox/index.js';
import { DEBIAN_SERF, runningSerfVersion, SERF_VERSIONS } from '../peers/serf-versions.js';
import { type CliResult, runCli, runJson } from '../support/cli.js';
import { waitFor } from '../support/wait.js';

const stateDirs: string[] = [];

function newStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ringside-sandbox-'));
  stateDirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of stateDirs) {
    await sandboxDown({ stateDir: dir, termGraceMs: 3000 }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A process unrelated to the sandbox, which `down` must leave alone. */
function startSleeper(): { pid: number; kill: () => void } {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('cannot start sleep');
  return { pid: child.pid, kill: () => child.kill('SIGKILL') };
}

function expectOneLineError(result: CliResult, code: number, message: RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^ringside: /);
  expect(result.stderr).toMatch(message);
}

describe('ringside sandbox', () => {
  // Debian's serf from PATH (the default), and Serf 0.10.x through --serf, by a name other than
  // `serf` (as ~/bin/serf-0.10 would be): status and down must still know its agents as theirs.
  it.each(SERF_VERSIONS)('$label: up starts N agents that serf sees alive and tagged; status shows them; down stops exactly them', async (version) => {
    const dir = newStateDir();
    const serf = version === DEBIAN_SERF ? version.binary() : join(newStateDir(), 'serf-0.10');
    if (version !== DEBIAN_SERF) symlinkSync(version.binary(), serf);
    const up = await runJson<SandboxUpResult>(['sandbox', 'up', '--nodes', '3', '--state-dir', dir, ...(version === DEBIAN_SERF ? [] : ['--serf', serf])]);
    expect(up.agents.map((a) => a.serf)).toEqual(version === DEBIAN_SERF ? [undefined, undefined, undefined] : [serf, serf, serf]);
    expect(up.agents.map((a) => runningSerfVersion(a.pid))).toEqual([version.prints, version.prints, version.prints]);
    expect(up.agents.map((a) => a.name)).toEqual(['sandbox-1', 'sandbox-2', 'sandbox-3']);
    expect(up).toMatchObject({ stateDir: dir, encrypted: false, keyringFile: null, join: up.agents[0]?.bind });
    expect(up).not.toHaveProperty('key');
    for (const agent of up.agents) {
      expect(isSandboxAgent(agent)).toBe(true);
      expect(agent.bind).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(existsSync(agent.logFile)).toBe(true);
    }

    // Every agent sees all three alive, each with sandbox=ringside and its round-robin zone.
    for (const agent of up.agents) {
      const members = await serfMembers(serf, agent.rpc);
      expect(members.filter((m) => m.status === 'alive').map((m) => m.name).sort()).toEqual(['sandbox-1', 'sandbox-2', 'sandbox-3']);
      for (const [i, name] of ['sandbox-1', 'sandbox-2', 'sandbox-3'].entries()) {
        expect(members.find((m) => m.name === name)?.tags).toEqual({ sandbox: 'ringside', zone: 'abc'[i] });
      }
    }
    const state = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8')) as SandboxState;
    expect(state.agents.map((a) => a.pid)).toEqual(up.agents.map((a) => a.pid));

    const status = await runJson<SandboxStatusResult>(['sandbox', 'status', '--state-dir', dir]);
    expect(status.found).toBe(true);
    expect(status.agents.map((a) => a.running)).toEqual([true, true, true]);
    expect(status.members?.filter((m) => m.status === 'alive')).toHaveLength(3);
    const table = await runCli(['sandbox', 'status', '--state-dir', dir]);
    expect(table.stdout).toMatch(/3 of 3 agents running/);

    expectOneLineError(await runCli(['sandbox', 'up', '--state-dir', dir]), 2, /a sandbox is already running in .* \(stop it first: ringside sandbox down/);

    const sleeper = startSleeper();
    try {
      const down = await runJson<SandboxDownResult>(['sandbox', 'down', '--state-dir', dir]);
      expect(down.found).toBe(true);
      expect(down.agents).toEqual(up.agents.map((a) => ({ name: a.name, pid: a.pid, outcome: 'stopped' })));
      for (const agent of up.agents) await waitFor(() => !isAlive(agent.pid), { timeoutMs: 5000, what: `pid ${agent.pid} to be gone` });
      expect(processArgv(sleeper.pid)).toEqual(['sleep', '300']);
      expect(existsSync(join(dir, 'sandbox.json'))).toBe(false);
      expect(readdirSync(dir).sort()).toEqual(['sandbox-1.log', 'sandbox-2.log', 'sandbox-3.log']);
    } finally {
      sleeper.kill();
    }

    const again = await runCli(['sandbox', 'down', '--state-dir', dir]);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toMatch(/^no sandbox in .* \(nothing to stop\)/);
    expect((await runJson<SandboxStatusResult>(['sandbox', 'status', '--state-dir', dir])).found).toBe(false);
  });

  it('down never signals a PID that no longer runs the recorded agent', async () => {
    const dir = newStateDir();
    const sleeper = startSleeper();
    try {
      // A state file whose PID was recycled: it now runs `sleep`, not serf.
      const agent: SandboxAgent = { name: 'sandbox-1', pid: sleeper.pid, bind: '127.0.0.1:1', rpc: '127.0.0.1:2', logFile: join(dir, 'x.log'), tags: {} };
      const state: SandboxState = { kind: 'ringside.sandbox', version: 1, createdAt: new Date().toISOString(), encrypted: false, keyringFile: null, agents: [agent] };
      writeFileSync(join(dir, 'sandbox.json'), JSON.stringify(state));
      const down = await runJson<SandboxDownResult>(['sandbox', 'down', '--state-dir', dir]);
      expect(down.agents).toEqual([{ name: 'sandbox-1', pid: sleeper.pid, outcome: 'pid-reused' }]);
      expect(isAlive(sleeper.pid)).toBe(true);
    } finally {
      sleeper.kill();
    }
  });

  it.each(SERF_VERSIONS)('$label: up --encrypt keeps the key in a 0600 keyring file and out of output, logs and argv; plaintext agents cannot join', async (version) => {
    const dir = newStateDir();
    const serf = version.binary();
    const up = await runCli(['sandbox', 'up', '--encrypt', '--nodes', '2', '--state-dir', dir, ...(version === DEBIAN_SERF ? [] : ['--serf', serf])]);
    expect(up.code, up.stderr).toBe(0);
    const keyringFile = join(dir, 'keyring.json');
    expect(up.stdout).toMatch(new RegExp(`--join 127\\.0\\.0\\.1:\\d+ --keyring-file ${keyringFile}`));
    expect(statSync(keyringFile).mode & 0o777).toBe(0o600);
    const keys = JSON.parse(readFileSync(keyringFile, 'utf8')) as string[];
    expect(keys).toHaveLength(1);
    const key = keys[0] as string;
    expect(Buffer.from(key, 'base64')).toHaveLength(32);

    const state = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8')) as SandboxState;
    expect(state).toMatchObject({ encrypted: true, keyringFile });
    const leaks = [up.stdout, up.stderr, readFileSync(join(dir, 'sandbox.json'), 'utf8'), ...state.agents.map((a) => readFileSync(a.logFile, 'utf8')), ...state.agents.map((a) => (processArgv(a.pid) ?? []).join(' '))];
    for (const text of leaks) expect(text).not.toContain(key);
    const status = await runCli(['sandbox', 'status', '--state-dir', dir, '--json']);
    expect(status.stdout).not.toContain(key);

    expect(state.agents.map((a) => runningSerfVersion(a.pid))).toEqual([version.prints, version.prints]);
    const [first] = state.agents as [SandboxAgent];
    expect((await serfMembers(serf, first.rpc)).map((m) => m.status)).toEqual(['alive', 'alive']);

    // A plaintext agent of the same version is turned away: serf exits non-zero with its own explanation.
    const plain = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(serf, ['agent', '-node=plaintext', '-bind=127.0.0.1:0', '-rpc-addr=127.0.0.1:0', `-join=${first.bind}`], { timeout: 15_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: stdout + stderr }),
      );
    });
    expect(plain.code).toBe(1);
    expect(plain.output).toMatch(/encryption is not configured/i);
    expect((await serfMembers(serf, first.rpc)).map((m) => m.name).sort()).toEqual(['sandbox-1', 'sandbox-2']);

    const down = await runJson<SandboxDownResult>(['sandbox', 'down', '--state-dir', dir]);
    expect(down.agents.map((a) => a.outcome)).toEqual(['stopped', 'stopped']);
    expect(existsSync(keyringFile)).toBe(false);
  });

  it('without serf on PATH, up fails with exit 4 and one line saying how to install it', async () => {
    const emptyBin = newStateDir();
    const stateDir = join(emptyBin, 'state');
    const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
    const result = await new Promise<CliResult>((resolve) => {
      // node itself is reached by its absolute path; PATH holds no serf.
      execFile(process.execPath, [bin, 'sandbox', 'up', '--state-dir', stateDir], { env: { ...process.env, PATH: emptyBin, NO_COLOR: '1' } }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
    expectOneLineError(result, 4, /^ringside: serf is not installed \(install it: sudo apt-get install serf\)$/m);
    expect(existsSync(stateDir)).toBe(false);
  });

  it('--serf naming no executable: exit 4, one line, nothing started', async () => {
    const stateDir = newStateDir();
    expectOneLineError(await runCli(['sandbox', 'up', '--state-dir', stateDir, '--serf', '/nonexistent/serf']), 4, /^ringside: no executable serf at \/nonexistent\/serf \(give the path of a serf binary/m);
    expect(readdirSync(stateDir)).toEqual([]);
  });

  it.each([
    ['--nodes 0', ['--nodes', '0'], /--nodes: Expected an integer greater than or equal to 1/],
    ['--nodes 21', ['--nodes', '21'], /--nodes: Expected an integer less than or equal to 20/],
    ['--nodes many', ['--nodes', 'many'], /--nodes: Expected an integer/],
    ['--base-port 80', ['--base-port', '80'], /--base-port: Expected an integer greater than or equal to 1024/],
    ['--timeout soon', ['--timeout', 'soon'], /--timeout/],
  ])('bad flag %s: one line, exit 2', async (_name, args, message) => {
    expectOneLineError(await runCli(['sandbox', 'up', ...args, '--state-dir', newStateDir()]), 2, message);
  });
});
