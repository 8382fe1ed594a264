/**
 * A real terminal for tests: a tmux server on its own socket (`tmux -L <unique>`), one window
 * running an interactive shell, keys sent with send-keys, the screen read with capture-pane.
 * Always call kill() in afterAll: it kills this server only.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait.js';

export interface TmuxPane {
  socket: string;
  /** The visible screen as text (capture-pane -p). */
  capture(): Promise<string>;
  /** tmux format values, e.g. '#{alternate_on} #{cursor_flag}'. */
  display(format: string): Promise<string>;
  /** send-keys: key names (Enter, Tab, Up, C-c) as they are. */
  keys(...keys: string[]): Promise<void>;
  /** Types text literally (send-keys -l). */
  type(text: string): Promise<void>;
  resize(width: number, height: number): Promise<void>;
  /** Polls the screen until `predicate` accepts it; returns that screen. */
  waitForScreen(predicate: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  kill(): void;
}

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

function tmux(socket: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tmux', ['-L', socket, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => (error ? reject(new Error(`tmux ${args[0]}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

/** Starts a detached tmux server with a width x height window running bash with a plain prompt. */
export async function startTmux(width: number, height: number, env: Record<string, string> = {}): Promise<TmuxPane> {
  const socket = `ringside-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  const envArgs = Object.entries({ LANG: 'C.UTF-8', TERM: 'screen-256color', PS1: '$ ', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  await tmux(socket, ['-f', '/dev/null', 'new-session', '-d', '-s', 'dash', '-x', String(width), '-y', String(height), ...envArgs, 'bash --norc --noprofile -i']);
  const target = ['-t', 'dash'];
  const pane: TmuxPane = {
    socket,
    capture: () => tmux(socket, ['capture-pane', '-p', ...target]),
    display: async (format) => (await tmux(socket, ['display-message', '-p', ...target, format])).trim(),
    keys: async (...keys) => void (await tmux(socket, ['send-keys', ...target, ...keys])),
    type: async (text) => void (await tmux(socket, ['send-keys', ...target, '-l', text])),
    resize: async (w, h) => void (await tmux(socket, ['resize-window', ...target, '-x', String(w), '-y', String(h)])),
    waitForScreen: async (predicate, what, timeoutMs = 20_000) => {
      let last = '';
      try {
        return await waitFor(
          async () => {
            last = await pane.capture();
            return predicate(last) ? last : undefined;
          },
          { timeoutMs, intervalMs: 100, what },
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}; the screen was:\n${last}`);
      }
    },
    kill: () => {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
      // tmux leaves its socket file behind.
      rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
    },
  };
  try {
    await pane.waitForScreen((s) => /[$#] *$/m.test(s), 'the shell prompt');
  } catch (error) {
    pane.kill();
    throw error;
  }
  return pane;
}
