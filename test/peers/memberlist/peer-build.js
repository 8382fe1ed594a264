// A plain memberlist node configured as Consul's LAN pool (main.go), built against each memberlist
// version in versions.json from the Go module proxy, each with its own committed go.mod and go.sum
// (<version>/): v0.5.1, what Nomad pins and the first release on go-msgpack v2 (pinned here, as in
// Nomad, at v2.1.2), and v0.7.0, the newest served. main.go and that version's go.mod/go.sum are
// copied into test/peers/.bin/build/memberlist-<version>/ and built there with -mod=readonly, so
// the build uses exactly the committed module versions.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const VERSIONS = JSON.parse(readFileSync(new URL('./versions.json', import.meta.url), 'utf8'));

export const peer = {
  name: 'memberlist',
  inputs: ['main.go', 'versions.json', ...VERSIONS.flatMap((v) => [`${v}/go.mod`, `${v}/go.sum`])],
  outputs: VERSIONS.map((v) => `memberlist-${v}/peer`),
  build({ dir, bin, run }) {
    for (const version of VERSIONS) {
      const work = join(bin, 'build', `memberlist-${version}`);
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      copyFileSync(join(dir, 'main.go'), join(work, 'main.go'));
      for (const file of ['go.mod', 'go.sum']) copyFileSync(join(dir, version, file), join(work, file));
      run('go', ['build', '-mod=readonly', '-o', join(bin, `memberlist-${version}`, 'peer'), '.'], { cwd: work });
    }
  },
};
