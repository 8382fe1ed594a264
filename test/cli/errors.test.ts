// Bad input gets one line on stderr, `ringside: <what> (<what to do>)`, the documented exit code,
// nothing on stdout and never a stack trace.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempFiles } from '../support/cli.js';

const files = tempFiles({
  'good.txt': '10.0.0.1:3000 a\n10.0.0.2:3000 b\n10.0.0.3:3000 c\n',
  'empty.txt': '# nothing here\n\n',
  'dup.txt': '10.0.0.1:3000 a\n10.0.0.2:3000 a\n',
  'dup-addr.txt': '10.0.0.1:3000 a\n10.0.0.1:3000 b\n',
  'bad-line.txt': '10.0.0.1:3000 a\nnot-an-address\n',
  'bad-port.txt': '10.0.0.1:99999 a\n',
  'bad.json': '[{"name": "a", "addr": 42}]',
  'broken.json': '[{"name": "a",',
  'future.json': JSON.stringify({ schemaVersion: 99, kind: 'ringside.snapshot', cluster: {}, members: [] }),
  'failed.txt': '10.0.0.1:3000 a\n',
  'all-failed.json': JSON.stringify([{ name: 'a', addr: '10.0.0.1:3000', status: 'failed' }]),
});
afterAll(files.cleanup);
const good = files.path('good.txt');

const cases: [string, string[], number, RegExp][] = [
  ['no cluster source', ['ring'], 2, /no cluster given \(pass --join HOST:PORT, --members FILE or --snapshot FILE\)/],
  ['both sources', ['ring', '--members', good, '--snapshot', good], 2, /give one cluster source: --join, --members or --snapshot/],
  ['missing file', ['ring', '--members', files.path('nope.txt')], 2, /does not exist/],
  ['a directory', ['ring', '--members', files.dir], 2, /is a directory/],
  ['empty membership', ['ring', '--members', files.path('empty.txt')], 2, /lists no members/],
  ['duplicate names', ['ring', '--members', files.path('dup.txt')], 2, /member "a" is listed twice/],
  ['duplicate addresses', ['ring', '--members', files.path('dup-addr.txt')], 2, /share the address 10\.0\.0\.1:3000/],
  ['malformed line', ['ring', '--members', files.path('bad-line.txt')], 2, /bad-line\.txt:2: "not-an-address" is not HOST:PORT/],
  ['port out of range', ['ring', '--members', files.path('bad-port.txt')], 2, /is not HOST:PORT/],
  ['wrong JSON type', ['ring', '--members', files.path('bad.json')], 2, /members\[0\] has no "addr"/],
  ['broken JSON', ['ring', '--members', files.path('broken.json')], 2, /is not valid JSON/],
  ['newer snapshot schema', ['ring', '--snapshot', files.path('future.json')], 2, /snapshot schema 99/],
  ['nobody in the ring', ['ring', '--members', files.path('all-failed.json')], 2, /no member can take part in the ring/],
  ['unknown algorithm', ['ring', '--ring', 'chord', '--members', good], 2, /unknown ring algorithm "chord"/],
  ['hash of another algorithm', ['ring', '--ring', 'ketama', '--hash', 'fingerprint32', '--members', good], 2, /--ring ketama cannot use --hash fingerprint32/],
  ['vnodes not a multiple of 4 for ketama', ['ring', '--ring', 'ketama', '--vnodes', '10', '--members', good], 2, /not a multiple of 4/],
  ['table size not prime', ['ring', '--ring', 'maglev', '--table-size', '65536', '--members', good], 2, /not a prime/],
  ['vnodes for jump', ['ring', '--ring', 'jump', '--vnodes', '10', '--members', good], 2, /--vnodes does not apply to --ring jump/],
  ['weights for ringpop', ['ring', '--weight-tag', 'w', '--members', good], 2, /has no tag "w"|does not support weights/],
  ['not an integer', ['ring', '--vnodes', 'many', '--members', good], 2, /Expected an integer/],
  ['impossible replicas', ['owner', 'k', '--replicas', '4', '--members', good], 2, /--replicas 4 is impossible with 3 nodes/],
  ['zero replicas', ['owner', 'k', '--replicas', '0', '--members', good], 2, /--replicas 0 is impossible/],
  ['no keys', ['owner', '--members', good], 2, /no keys given/],
  ['unreadable keys file', ['owner', '--keys-file', files.path('nope.keys'), '--members', good], 2, /keys file .* does not exist/],
  ['unknown flag', ['ring', '--frobnicate', '--members', good], 2, /Nonexistent flag: --frobnicate \(see ringside ring --help\)/],
  ['unknown flag among keys', ['owner', 'k', '--frobnicate', '--members', good], 2, /Nonexistent flag: --frobnicate \(see ringside owner --help\)/],
  ['unknown command', ['rign'], 2, /command rign not found \(see ringside --help\)/],
  ['nothing to plan', ['plan', '--members', good], 2, /nothing to plan/],
  ['remove an unknown node', ['plan', '--remove', 'zz', '--members', good], 2, /--remove zz: no such member/],
  ['add an existing node', ['plan', '--add', '10.0.0.1:3000', '--members', good], 2, /already has that address/],
  ['add garbage', ['plan', '--add', 'not a node at all', '--members', good], 2, /is not HOST:PORT/],
  ['remove every node', ['plan', '--remove', 'a', '--remove', 'b', '--remove', 'c', '--members', good], 2, /removes every node/],
  ['bad size', ['plan', '--add', '10.0.0.9:3000', '--data-bytes', 'lots', '--members', good], 2, /--data-bytes lots is not a size/],
  ['snapshot without -o', ['snapshot', '--members', good], 2, /Missing required flag/],
  // Regression: oclif prefixed these with "The following error occurred:".
  ['gate without --baseline', ['gate', '--current', good], 2, /^ringside: Missing required flag baseline \(see ringside gate --help\)$/],
  ['--cold-ms without --service', ['sandbox', 'up', '--cold-ms', '10'], 2, /^ringside: All of the following must be provided when using --cold-ms: --service/],
  ['bench merge of a file of neither kind', ['bench', 'merge', good], 2, /is neither a bench result \(JSON\) nor an HdrHistogram log/],
  ['diagnose without a live cluster', ['diagnose', '--members', good], 2, /^ringside: diagnose needs a live cluster \(pass --join HOST:PORT\)$/],
  ['diagnose of an offline file', ['diagnose', '--join', '127.0.0.1:7946', '--snapshot', good], 2, /diagnose reads a live cluster only/],
  ['diagnose with a bad duration', ['diagnose', '--join', '127.0.0.1:7946', '--duration', 'soon'], 2, /--duration soon/],
  // Port 9 on loopback: nothing listens there, so the one seed is refused.
  ['diagnose of an unreachable cluster', ['diagnose', '--join', '127.0.0.1:9', '--timeout', '1s', '--duration', '1s'], 3, /^ringside: 127\.0\.0\.1:9: connection refused \(check the address and port/],
  ['diagnose of an unreachable ringpop cluster', ['diagnose', '--protocol', 'ringpop', '--join', '127.0.0.1:9', '--timeout', '1s'], 3, /^ringside: .*127\.0\.0\.1:9/],
];

describe('bad input', () => {
  it.concurrent.each(cases)('%s', async (_name, args, code, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ringside: /);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('prints the stack only with --debug', async () => {
    const result = await runCli(['ring', '--ring', 'chord', '--members', good, '--debug']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ringside: unknown ring algorithm/);
    expect(result.stderr).toMatch(/RingsideError|at .*\.js:\d+/);
  });
});
