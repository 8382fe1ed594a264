// Serf 0.10.x, the `serf` agent users run today (memberlist 0.6.0 and go-msgpack v2 at v0.10.4),
// built from the Go module proxy with `go install`. Debian's serf (0.9.4 code on memberlist 0.2.2)
// is the other generation of the test matrix (test/peers/serf-versions.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const { serf } = JSON.parse(readFileSync(new URL('./version.json', import.meta.url), 'utf8'));

export const peer = {
  name: 'serf-0.10',
  inputs: ['version.json'],
  outputs: [`serf-${serf}/serf`],
  build({ bin, run }) {
    run('go', ['install', `github.com/hashicorp/serf/cmd/serf@${serf}`], { env: { GOBIN: join(bin, `serf-${serf}`) } });
  },
};
