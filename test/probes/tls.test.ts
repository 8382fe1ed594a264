// https: first-connection records the TLS handshake as its own phase (a full handshake every
// time: no session resumption), warm connections speak TLS too, and a certificate that does
// not verify is an error unless --insecure. The certificate is made here with openssl.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench } from '../../src/probes/run.js';
import { tempFiles } from '../support/cli.js';

describe('https targets', () => {
  const files = tempFiles({});
  let server: https.Server;
  let target = '';
  let handshakes = 0;

  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.path('key.pem'), '-out', files.path('cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    server = https.createServer({ key: readFileSync(files.path('key.pem')), cert: readFileSync(files.path('cert.pem')) }, (_req, res) => res.end('ok'));
    server.on('secureConnection', () => handshakes++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `https://127.0.0.1:${(server.address() as AddressInfo).port}/kv/{key}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    files.cleanup();
  });

  it('first-connection: one full handshake per request, recorded as the tls phase', async () => {
    handshakes = 0;
    const result = await startBench({ target, rate: 50, durationMs: 1000, probes: ['first-connection'], connections: 1, keys: [], workers: 1, insecure: true }).done;
    const probe = result.probes['first-connection']!;
    expect(probe.errors).toBe(0);
    expect(probe.count).toBe(50);
    expect(handshakes).toBe(50);
    const phases = probe.phases!;
    expect(phases.tls!.count).toBe(50);
    expect(phases.connect!.count).toBe(50);
    expect(phases.tls!.p50).toBeGreaterThan(0);
    // per request total > connect + tls, so the means (unlike percentiles) must keep that order
    expect(phases.total!.mean).toBeGreaterThan(phases.tls!.mean + phases.connect!.mean);
  });

  it('warm: keep-alive TLS connections, one handshake each', async () => {
    handshakes = 0;
    const result = await startBench({ target, rate: 100, durationMs: 1000, probes: ['warm'], connections: 2, keys: ['a'], workers: 1, insecure: true }).done;
    expect(result.probes.warm!.count).toBe(100);
    expect(handshakes).toBe(2);
  });

  it('a certificate that does not verify fails every request without --insecure', async () => {
    const result = await startBench({ target, rate: 20, durationMs: 500, probes: ['first-connection', 'warm'], connections: 1, keys: ['a'], workers: 1 }).done;
    expect(result.probes['first-connection']!.count).toBe(0);
    expect(result.probes['first-connection']!.errorsByKind.other).toBe(10);
    expect(result.probes.warm!.count).toBe(0);
    expect(result.probes.warm!.errorsByKind.other).toBe(10);
  });
});
