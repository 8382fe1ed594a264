// Serf 0.10.x, the `serf` agent users run today (memberlist 0.5.x, go-msgpack v2), built from the
// Go module proxy with `go install`. Debian's serf (0.9.4 code on memberlist 0.2.2) is the other
// generation of the test matrix.
import { join } from 'node:path';

export const SERF_VERSION = 'v0.10.4';

export const peer = {
  name: 'serf-0.10',
  inputs: [],
  outputs: [`serf-${SERF_VERSION}/serf`],
  build({ bin, run }) {
    run('go', ['install', `github.com/hashicorp/serf/cmd/serf@${SERF_VERSION}`], { env: { GOBIN: join(bin, `serf-${SERF_VERSION}`) } });
  },
};
