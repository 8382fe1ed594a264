// A plain memberlist node configured as Consul's LAN pool (main.go), built against two memberlist
// versions from the Go module proxy: v0.5.4 (the 0.5 line Consul 1.x and Nomad pin; go-msgpack v2
// since 0.5.1) and v0.7.0 (the newest served). Each build is a throwaway module in
// test/peers/.bin/build/ that requires exactly that version.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MEMBERLIST_VERSIONS = JSON.parse(readFileSync(new URL('./versions.json', import.meta.url), 'utf8'));

export const peer = {
  name: 'memberlist',
  inputs: ['main.go', 'versions.json'],
  outputs: MEMBERLIST_VERSIONS.map((v) => `memberlist-${v}/peer`),
  build({ dir, bin, run }) {
    for (const version of MEMBERLIST_VERSIONS) {
      const work = join(bin, 'build', `memberlist-${version}`);
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      copyFileSync(join(dir, 'main.go'), join(work, 'main.go'));
      writeFileSync(join(work, 'go.mod'), 'module ringside.test/memberlist-peer\n\ngo 1.25\n');
      run('go', ['get', `github.com/hashicorp/memberlist@${version}`], { cwd: work });
      run('go', ['mod', 'tidy'], { cwd: work });
      run('go', ['build', '-o', join(bin, `memberlist-${version}`, 'peer'), '.'], { cwd: work });
    }
  },
};
