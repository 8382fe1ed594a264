// Kubernetes' own API types as a strict decoder (main.go): the manifests `--emit k8s-job` prints
// are decoded into k8s.io/api batch/v1 Job and apps/v1 DaemonSet (v0.37.2, pinned by the committed
// go.mod and go.sum) with unknown fields refused, since no Kubernetes cluster runs here.
import { join } from 'node:path';

export const peer = {
  name: 'k8s-api',
  inputs: ['main.go', 'go.mod', 'go.sum'],
  outputs: ['k8s-api/decode'],
  build({ dir, bin, run }) {
    run('go', ['build', '-mod=readonly', '-o', join(bin, 'k8s-api', 'decode'), '.'], { cwd: dir });
  },
};
