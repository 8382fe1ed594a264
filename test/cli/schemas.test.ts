// The published JSON Schemas (schemas/) describe what the commands really print.
import { afterAll, describe, expect, it } from 'vitest';
import { runJson, tempFiles } from '../support/cli.js';
import { validate } from '../support/schemas.js';

const files = tempFiles({
  'cluster.txt': '10.0.0.1:3000 a w=1\n10.0.0.2:3000 b w=2\n10.0.0.3:3000 c w=1\n',
  'keys.txt': 'k1\nk2\nk3\nk4\nk5\nk6\n',
});
afterAll(files.cleanup);
const cluster = files.path('cluster.txt');

describe('JSON output matches the published schemas', () => {
  it.each(['ringpop', 'ketama', 'jump', 'rendezvous', 'maglev', 'murmur3'])('owner and ring with --ring %s', async (algorithm) => {
    const extra = algorithm === 'jump' || algorithm === 'rendezvous' ? ['--samples', '10000'] : [];
    expect(validate('owner', await runJson(['owner', 'x', 'y', '--replicas', '2', '--ring', algorithm, '--members', cluster]))).toBe('valid');
    expect(validate('ring', await runJson(['ring', '--replicas', '2', '--ring', algorithm, ...extra, '--members', cluster]))).toBe('valid');
  });

  it('plan with every optional section', async () => {
    const plan = await runJson(['plan', '--add', 'd=10.0.0.4:3000', '--remove', 'c', '--keys-file', files.path('keys.txt'), '--data-bytes', '1TB', '--step-by-step', '--replicas', '2', '--members', cluster]);
    expect(validate('plan', plan)).toBe('valid');
  });

  it('snapshot', async () => {
    expect(validate('snapshot.v1', await runJson(['snapshot', '-o', files.path('s.json'), '--members', cluster]))).toBe('valid');
  });
});
