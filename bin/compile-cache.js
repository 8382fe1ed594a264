// Loads the CLI bundle (dist/bundle/cli.cjs) with V8's code cache, so a command does not compile
// ringside's code again on every run.
//
// Node 22.1+ has its own compile cache (module.enableCompileCache): the bundle is require()d under
// it. Node 20 has none, so here the bundle is compiled as Node's CommonJS loader would (the same
// wrapper, require and module) with the cached data of an earlier run; when there was none, or V8
// rejected it (another Node, another bundle), the data V8 holds once the command has run is
// written when the process exits. The cache lives in a directory of
// the user's own, mode 0700, under the OS temporary directory (as Node's own cache does); a
// directory that is not the user's, or that others may write, is not used; writing a cache removes
// the caches of other bundles or Nodes untouched for a week. NODE_DISABLE_COMPILE_CACHE=1 turns
// both off. A cache that cannot be read or written costs nothing but the compile.
//
// The bundle's dynamic imports (`await import('execa')`) call the import function set here, a
// plain import() of this ES module: inside a vm.Script, import() needs an experimental option
// that prints a warning, and V8 drops it from code compiled from a cache (scripts/bundle.js).
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/** The user's cache directory, created if missing; undefined when it is not safely theirs. */
function cacheDirectory() {
  const dir = path.join(os.tmpdir(), `ringside-compile-cache-${process.getuid?.() ?? 'user'}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    const own = process.getuid === undefined || stat.uid === process.getuid();
    return stat.isDirectory() && own && (stat.mode & 0o022) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The cache file for this bundle and this Node: V8's data is only valid for both. */
function cacheFile(dir, filename) {
  const { size, mtimeMs } = fs.statSync(filename);
  return path.join(dir, `cli-${process.version}-${process.arch}-${size}-${Math.floor(mtimeMs)}.v8`);
}

/** Caches of other bundles or Nodes left untouched for a week (an upgrade leaves one behind). */
function pruneStale(dir, keep) {
  const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (file === keep || !/^cli-.*\.v8$/.test(name)) continue;
    if (fs.statSync(file).mtimeMs < weekAgo) fs.rmSync(file, { force: true });
  }
}

/** Runs `filename` as a CommonJS module compiled with `cachedData`; returns its exports. */
function compileWithCache(filename, cachedData) {
  const dirname = path.dirname(filename);
  const script = new vm.Script(Module.wrap(fs.readFileSync(filename, 'utf8')), { filename, cachedData });
  const module = new Module(filename, undefined);
  module.filename = filename;
  module.paths = Module._nodeModulePaths(dirname);
  // oclif require()s the bundle again to read its commands: it gets this module.
  Module._cache[filename] = module;
  script.runInThisContext().call(module.exports, module.exports, createRequire(filename), module, filename, dirname);
  module.loaded = true;
  return { exports: module.exports, script };
}

/** The CLI bundle's exports (main, COMMANDS). */
export function loadCli(filename) {
  globalThis[Symbol.for('ringside.import')] = (specifier) => import(specifier);
  const disabled = process.env.NODE_DISABLE_COMPILE_CACHE === '1';
  if (typeof Module.enableCompileCache === 'function' || disabled) {
    if (!disabled) Module.enableCompileCache();
    return createRequire(filename)(filename);
  }
  const dir = cacheDirectory();
  if (dir === undefined) return createRequire(filename)(filename);
  const file = cacheFile(dir, filename);
  let cachedData;
  try {
    cachedData = fs.readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const { exports, script } = compileWithCache(filename, cachedData);
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit, V8 holds the code of every function the command ran: the next run gets it all.
    process.once('exit', () => {
      const temporary = `${file}.${process.pid}`;
      try {
        fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(temporary, file);
        pruneStale(dir, file);
      } catch {
        fs.rmSync(temporary, { force: true });
      }
    });
  }
  return exports;
}
