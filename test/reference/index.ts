/**
 * Test-only helpers around the independent C reference implementations in
 * this directory (see README.md). The C sources are compiled on demand into
 * test/.tmp/reference/ and run with the test input on stdin.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type ReferenceName = 'jump' | 'maglev' | 'rendezvous' | 'ketama-digests';

const INSTALL_HINT = 'apt-get install gcc libc6-dev libxxhash-dev';

/** Large enough for a 655373-entry Maglev table plus many lookup lines. */
const MAX_BUFFER = 512 * 1024 * 1024;

const sourceDir = new URL('./', import.meta.url);
const outputDir = new URL('../.tmp/reference/', import.meta.url);

/** One build per reference per process; parallel workers are made safe by the atomic rename. */
const builds = new Map<ReferenceName, Promise<string>>();

async function mtimeMs(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function compile(source: string, output: string): Promise<void> {
  const args = ['-O2', '-std=c11', '-o', output, source, '-lxxhash', '-lm'];
  return new Promise((resolve, reject) => {
    execFile('cc', args, { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) {
        resolve();
        return;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        reject(new Error(`C compiler "cc" not found; the reference implementations need it: ${INSTALL_HINT}`));
        return;
      }
      const details = String(stderr).trim();
      if (/xxhash/i.test(details)) {
        reject(new Error(`xxHash development files (xxhash.h / libxxhash) not found: ${INSTALL_HINT}\n${details}`));
        return;
      }
      reject(
        new Error(
          `compiling ${source} failed (cc ${args.join(' ')}); ` +
            `make sure the toolchain is installed (${INSTALL_HINT})\n${details}`,
        ),
      );
    });
  });
}

async function build(name: ReferenceName): Promise<string> {
  const source = fileURLToPath(new URL(`${name}.c`, sourceDir));
  const binary = fileURLToPath(new URL(name, outputDir));

  const sourceTime = await mtimeMs(source);
  if (sourceTime === undefined) throw new Error(`reference source not found: ${source}`);
  // The programs share input.h, so a newer header also forces a rebuild.
  const headerTime = (await mtimeMs(fileURLToPath(new URL('input.h', sourceDir)))) ?? 0;
  const binaryTime = await mtimeMs(binary);
  if (binaryTime !== undefined && binaryTime >= Math.max(sourceTime, headerTime)) return binary;

  await mkdir(fileURLToPath(outputDir), { recursive: true });
  // Compile under a unique name, then rename over the final path: rename(2)
  // is atomic, so concurrent builders never expose a partially written binary.
  const temporary = `${binary}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await compile(source, temporary);
    await rename(temporary, binary);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return binary;
}

/**
 * Compiles test/reference/<name>.c into test/.tmp/reference/<name> if the
 * binary is missing or older than the source or input.h, and returns the
 * binary's path.
 */
export function referenceBinary(name: ReferenceName): Promise<string> {
  let pending = builds.get(name);
  if (pending === undefined) {
    pending = build(name);
    builds.set(name, pending);
    pending.catch(() => builds.delete(name));
  }
  return pending;
}

/**
 * Runs the named reference with `input` on stdin; resolves its stdout, rejects
 * (with its stderr in the message) if it exits non-zero or is killed.
 */
export async function runReference(name: ReferenceName, input: string | Uint8Array): Promise<string> {
  const binary = await referenceBinary(name);
  return new Promise((resolve, reject) => {
    const child = execFile(binary, [], { encoding: 'utf8', maxBuffer: MAX_BUFFER }, (error, stdout, stderr) => {
      if (error) {
        const exit = error.code ?? error.signal ?? 'unknown';
        reject(new Error(`reference ${name} failed (${String(exit)}): ${String(stderr).trim() || error.message}`));
        return;
      }
      resolve(stdout);
    });
    // An early exit closes the pipe (EPIPE); the exit status is reported above.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}
