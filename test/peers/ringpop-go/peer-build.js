// A ringpop-go node (main.go) and ring oracle (oracle.go, `node ring-oracle`):
// github.com/uber/ringpop-go v0.10.0 on tchannel-go v1.34.6 (the proxy serves tchannel-go only at
// some exact versions; v1.22.0 lacks thirdparty/github.com/apache/thrift/lib/go/thrift, which
// ringpop-go imports), pinned by the committed go.mod and go.sum.
import { join } from 'node:path';

export const peer = {
  name: 'ringpop-go',
  inputs: ['main.go', 'oracle.go', 'go.mod', 'go.sum'],
  outputs: ['ringpop-go/node'],
  build({ dir, bin, run }) {
    run('go', ['build', '-o', join(bin, 'ringpop-go', 'node'), '.'], { cwd: dir });
  },
};
