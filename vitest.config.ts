import { defineConfig } from 'vitest/config';

// Two lanes side by side, each one test file at a time: the live lane (real Serf, memberlist and
// ringpop peers, mostly waiting on the peers' own timers) in child processes, and everything else
// in worker threads. Vitest keeps one pool per kind, so two kinds make two lanes; a file shares
// the machine with at most one other file.
const live = ['test/live/**/*.test.ts'];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', 'test/.tmp/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    poolOptions: { forks: { maxForks: 1, minForks: 1 }, threads: { maxThreads: 1, minThreads: 1 } },
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'live', pool: 'forks', include: live } },
      { extends: true, test: { name: 'rest', pool: 'threads', include: ['test/**/*.test.ts'], exclude: [...live, '**/node_modules/**', 'test/.tmp/**'] } },
    ],
  },
});
