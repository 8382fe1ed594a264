#!/usr/bin/env node
// Start-up: after tsc, bundles what a process loads into dist/bundle/ with esbuild. The CLI is one
// CommonJS file, dist/bundle/cli.cjs: its entry, every command (oclif's "explicit" command
// discovery: a COMMANDS object whose getters evaluate a command's modules on first use, so a
// process evaluates the one command it runs) and oclif inlined. One file is one read, one compile
// and, through bin/run.js, one V8 code cache (Node 22+'s own compile cache; on Node 20 ringside's,
// bin/compile-cache.js); Node 20's ES module loader cost more per file than the work inside them.
// Each library subpath (`ringside/ring`, ...) is one ES module file of its own, and the root
// re-exports them. The bundle is the code tsc emitted to dist/src, unchanged: the type
// declarations, the worker thread and the demo service's script stay in dist/src; the packages
// ringside depends on (but oclif) are loaded from node_modules as before, and only where they are
// used. docs/benchmarks.md has the figures.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'src');
const out = join(root, 'dist', 'bundle');

/** Keeps the root's imports of ./lib/*.js as imports of the subpath bundles beside it. */
const subpathsExternal = {
  name: 'subpaths-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/lib\/[a-z]+\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * Node's own modules imported by ESM code are loaded with require() instead: an ESM import of a
 * builtin builds a facade that reads every export, which runs Node's lazy getters (`import ...
 * from 'node:fs'` loads fs streams, ~5 ms, whether or not they are used). esbuild's CommonJS
 * interop reads a property only when the code does.
 */
const builtinsViaRequire = {
  name: 'builtins-via-require',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.namespace === 'builtin' || args.kind === 'require-call' ? { path: args.path, external: true } : { path: args.path, namespace: 'builtin' },
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * oclif's modules require each other at load, so a command evaluated all of oclif (plugin globbing,
 * TypeScript path mapping, help templates, semver...) before it ran. Here each top-level
 * `x = require("...")` of oclif's own code (also wrapped in __importDefault or __importStar)
 * becomes a proxy that loads the module on first use, so a process evaluates what its path
 * through oclif touches.
 */
const LAZY_REQUIRE = /^((?:const|var) \w+|exports\.\w+) = ((?:__importDefault|__importStar)\()?require\(("[^"]+")\)(\))?;$/gm;
const LAZY_HELPER =
  'const __ringsideLazy = (load) => { let m; const get = () => (m ??= load()); return new Proxy({}, { get: (_, k) => get()[k], has: (_, k) => k in get(), ownKeys: () => Reflect.ownKeys(get()), getOwnPropertyDescriptor: (_, k) => { const d = Object.getOwnPropertyDescriptor(get(), k); return d && { ...d, configurable: true }; } }); };\n';
const oclifLazyRequires = {
  name: 'oclif-lazy-requires',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const lazy = text.replace(LAZY_REQUIRE, (_, name, wrap = '', id, close = '') => `${name} = __ringsideLazy(() => ${wrap}require(${id})${close});`);
      return { contents: lazy === text ? text : LAZY_HELPER + lazy, loader: 'js' };
    });
  },
};

function jsFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? jsFiles(path) : path.endsWith('.js') ? [path] : [];
  });
}

/** oclif's id of a command file: commands/chaos/heal.js -> chaos:heal, commands/bench/index.js -> bench. */
const commandId = (file) => relative(join(built, 'commands'), file).replace(/\.js$/, '').replace(/(^|\/)index$/, '').split('/').join(':');
const commands = jsFiles(join(built, 'commands')).map((file) => [commandId(file), file]);

/** The CLI's entry: main, and COMMANDS with one lazy getter per command (oclif reads only the one it runs). */
const cliEntry = [
  "const { main } = require('./cli/main.js');",
  'const COMMANDS = {};',
  ...commands.map(([id, file]) => `Object.defineProperty(COMMANDS, ${JSON.stringify(id)}, { enumerable: true, get: () => require(${JSON.stringify(`./${relative(built, file)}`)}).default });`),
  'module.exports = { main, COMMANDS };',
].join('\n');
const libraries = readdirSync(join(built, 'lib')).filter((f) => f.endsWith('.js')).map((f) => f.replace(/\.js$/, ''));
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages stay where npm put them (loaded only by the code that uses them), except oclif,
  // whose ~150 CommonJS modules are most of a command's start-up. oclif loads TypeScript only to
  // run uncompiled commands in development: never here.
  external: [...Object.keys(dependencies).filter((name) => name !== '@oclif/core'), 'typescript', 'ts-node'],
  // oclif's CommonJS code calls require() for Node's own modules.
  banner: { js: "import { createRequire as __ringsideCreateRequire } from 'node:module';\nconst require = __ringsideCreateRequire(import.meta.url);" },
  // Short names parse faster; class and function names are kept (error names, --debug stacks).
  minify: true,
  keepNames: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
  plugins: [builtinsViaRequire, oclifLazyRequires],
};

/**
 * On Node 20, bin/compile-cache.js compiles the CLI with vm.Script, where a dynamic import() needs
 * an experimental loader option that prints a warning and is lost with V8's code cache. So the
 * CLI's `await import(x)` calls go through the import function bin/compile-cache.js hands over
 * (a plain import() in an ES module). A bundle with any other import() fails the build.
 */
function dynamicImportsThroughLoader(result) {
  for (const file of result.outputFiles) {
    const banner = file.text.indexOf('\n', file.text.indexOf('__ringsideImport')) + 1;
    const body = file.text.slice(banner).replace(/\bawait import\(/g, 'await __ringsideImport(');
    const left = body.match(/(?<!["'`\w$.])import\(/g);
    if (left) throw new Error(`${file.path}: ${left.length} dynamic import() left that bin/compile-cache.js cannot serve`);
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.text.slice(0, banner) + body);
  }
  return result;
}

rmSync(out, { recursive: true, force: true });
const results = await Promise.all([
  // The CLI: one CommonJS file. ES module code inside it keeps its own URL (import.meta.url) for
  // finding the package's files; ESM-only packages (execa) are imported dynamically where used.
  build({
    ...common,
    stdin: { contents: cliEntry, resolveDir: built, sourcefile: 'cli-entry.js', loader: 'js' },
    format: 'cjs',
    outfile: join(out, 'cli.cjs'),
    banner: { js: `const __ringsideModuleUrl = require("node:url").pathToFileURL(__filename).href;\nconst __ringsideImport = globalThis[Symbol.for("ringside.import")] ?? ((specifier) => import(specifier));` },
    define: { 'import.meta.url': '__ringsideModuleUrl' },
    plugins: [oclifLazyRequires],
    write: false,
  }).then(dynamicImportsThroughLoader),
  // Each library subpath is one file: a script importing `ringside/ring` reads one file, not a
  // dozen chunks (RingsideError's instanceof holds across the copies, see src/errors.ts).
  ...libraries.map((name) => build({ ...common, entryPoints: [join(built, 'lib', `${name}.js`)], outfile: join(out, 'lib', `${name}.js`) })),
  // The root re-exports the subpath files themselves and adds the sandbox and the dashboard.
  build({ ...common, entryPoints: [join(built, 'index.js')], outfile: join(out, 'index.js'), plugins: [subpathsExternal, builtinsViaRequire, oclifLazyRequires] }),
]);
const outputs = Object.assign({}, ...results.map((r) => r.metafile.outputs));
const files = Object.keys(outputs).filter((f) => /\.c?js$/.test(f));
const bytes = files.reduce((sum, f) => sum + outputs[f].bytes, 0);
console.log(`bundle: the CLI (${commands.length} commands), ${libraries.length} library subpaths and the root: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB in dist/bundle`);
