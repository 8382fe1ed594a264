// bin/run.js loads the CLI bundle with V8's code cache: on Node 20 from ringside's own cache in a
// directory of the user's (bin/compile-cache.js), on Node 22.1+ through Node's compile cache. The
// cache must never change what a command prints, must survive a corrupt file, and must not be read
// from or written to a directory someone else can write.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ringside-cc-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const ownCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache !== 'function';
const args = [join(root, 'bin', 'run.js'), 'owner', 'user:42', 'user:7', '--members', join(root, 'examples', 'cluster.txt'), '--json'];

function run(tmp: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, ...env } });
}
const cacheDir = (tmp: string) => join(tmp, `ringside-compile-cache-${process.getuid?.() ?? 'user'}`);
const cacheFiles = (tmp: string) => (existsSync(cacheDir(tmp)) ? readdirSync(cacheDir(tmp)) : []);

// One block or the other, by the Node that runs the suite (a skipped test would fail CI).
if (ownCache) describe('the code cache on Node 20 (bin/compile-cache.js)', () => {
  const tmp = join(scratch, 'fresh');
  mkdirSync(tmp);
  const expected = execFileSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1', TMPDIR: join(scratch, 'none') } });

  it('is written by the first run into a private directory and read by the next, with the same output', () => {
    expect(run(tmp)).toBe(expected);
    expect(statSync(cacheDir(tmp)).mode & 0o777).toBe(0o700);
    const files = cacheFiles(tmp);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^cli-${process.version.replace(/\./g, '\\.')}-${process.arch}-\\d+-\\d+\\.v8$`));
    const file = join(cacheDir(tmp), files[0] as string);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = statSync(file).mtimeMs;
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(run(tmp)).toBe(expected);
    // An accepted cache is not written again.
    expect(statSync(file).mtimeMs).toBe(written);
    expect(JSON.parse(expected)).toHaveLength(2);
  });

  it('a corrupt cache file is rejected by V8, the command prints the same, and the file is rewritten', () => {
    const file = join(cacheDir(tmp), cacheFiles(tmp)[0] as string);
    writeFileSync(file, Buffer.alloc(4096, 7));
    expect(run(tmp)).toBe(expected);
    const rewritten = readFileSync(file);
    expect(rewritten.length).toBeGreaterThan(10_000);
    expect(rewritten.equals(Buffer.alloc(rewritten.length, 7))).toBe(false);
  });

  it("writing a cache removes other bundles' caches untouched for a week, and only those", () => {
    const stale = join(cacheDir(tmp), 'cli-v20.0.0-x64-1-1.v8');
    const recent = join(cacheDir(tmp), 'cli-v20.0.0-x64-2-2.v8');
    writeFileSync(stale, 'old');
    writeFileSync(recent, 'new');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    utimesSync(stale, eightDaysAgo, eightDaysAgo);
    // Only a run that writes its cache prunes: make this one's missing.
    const current = cacheFiles(tmp).find((f) => !f.startsWith('cli-v20.0.0-')) as string;
    rmSync(join(cacheDir(tmp), current));
    expect(run(tmp)).toBe(expected);
    expect(cacheFiles(tmp).sort()).toEqual([current, 'cli-v20.0.0-x64-2-2.v8'].sort());
    rmSync(recent);
  });

  it('a cache directory others can write is neither read nor written', () => {
    const open = join(scratch, 'open');
    mkdirSync(cacheDir(open), { recursive: true });
    chmodSync(cacheDir(open), 0o777);
    expect(run(open)).toBe(expected);
    expect(cacheFiles(open)).toEqual([]);
  });

  it("the bundle's dynamic imports (yaml for --emit) work from the cache too, with nothing on stderr", () => {
    const emitting = join(scratch, 'emit');
    mkdirSync(emitting);
    const argv = [join(root, 'bin', 'run.js'), 'bench', '--target', 'http://10.0.0.5:8080/kv/{key}', '--rate', '100', '--duration', '10s', '--emit', 'k8s-job', '--parallelism', '2'];
    for (const round of ['no cache yet', 'from the cache']) {
      const result = spawnSync(process.execPath, argv, { encoding: 'utf8', env: { ...process.env, TMPDIR: emitting } });
      expect(result.stderr, round).toBe('');
      expect(result.status, round).toBe(0);
      expect(result.stdout, round).toMatch(/^kind: Job$/m);
      expect(cacheFiles(emitting), round).toHaveLength(1);
    }
  });

  it('NODE_DISABLE_COMPILE_CACHE=1 turns it off', () => {
    const off = join(scratch, 'off');
    mkdirSync(off);
    expect(run(off, { NODE_DISABLE_COMPILE_CACHE: '1' })).toBe(expected);
    expect(existsSync(cacheDir(off))).toBe(false);
  });
});

else describe("Node 22.1+: Node's own compile cache", () => {
  it('ringside keeps no cache of its own', () => {
    const tmp = join(scratch, 'node22');
    mkdirSync(tmp);
    expect(JSON.parse(run(tmp))).toHaveLength(2);
    expect(existsSync(cacheDir(tmp))).toBe(false);
  });
});
