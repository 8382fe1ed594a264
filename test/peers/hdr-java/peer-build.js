// HdrHistogram's Java reference implementation (org.hdrhistogram:HdrHistogram from Maven Central)
// and HdrRead.java, which reads `ringside bench`'s .hlog files and base64 histograms with it.
// Maven fetches the jar into the local repository (~/.m2, reused between runs); javac compiles
// HdrRead against it into test/peers/.bin/hdr-java/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HDR_VERSION = '2.2.2';

export const peer = {
  name: 'hdr-java',
  inputs: ['HdrRead.java'],
  outputs: ['hdr-java/HdrHistogram.jar', 'hdr-java/HdrRead.class'],
  build({ dir, bin, run }) {
    const out = join(bin, 'hdr-java');
    mkdirSync(out, { recursive: true });
    run('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=org.hdrhistogram:HdrHistogram:${HDR_VERSION}`, '-Dtransitive=false']);
    // Where this machine's Maven keeps artifacts (settings.xml may move it from ~/.m2/repository).
    // eslint-disable-next-line no-control-regex
    const repo = run('mvn', ['-q', '-B', '-Dstyle.color=never', 'help:evaluate', '-Dexpression=settings.localRepository', '-DforceStdout']).replace(/\x1b\[[0-9;]*m/g, '').trim() || join(homedir(), '.m2', 'repository');
    const jar = join(repo, 'org', 'hdrhistogram', 'HdrHistogram', HDR_VERSION, `HdrHistogram-${HDR_VERSION}.jar`);
    copyFileSync(jar, join(out, 'HdrHistogram.jar'));
    run('javac', ['-cp', join(out, 'HdrHistogram.jar'), '-d', out, join(dir, 'HdrRead.java')]);
  },
};
