// The probe `dash --target` starts, as data: checked before the cluster is joined.
import { describe, expect, it } from 'vitest';
import { latencyConfig } from '../../dashboards/latency-source.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('dash latency probe config', () => {
  it('runs warm on 10 keep-alive connections and one worker by default, until quit', () => {
    const config = latencyConfig({ target: 'http://127.0.0.1:8080/kv/{key}', rate: 50, probes: [] });
    expect(config.probes).toEqual(['warm']);
    expect(config.connections).toBe(10);
    expect(config.workers).toBe(1);
    expect(config.rate).toBe(50);
    expect(config.keys).toHaveLength(1000);
    expect(config.durationMs).toBeGreaterThan(24 * 3600 * 1000);
  });

  it('takes --connections (a slow server at a high rate needs rate x latency of them)', () => {
    expect(latencyConfig({ target: 'http://127.0.0.1:8080/kv/{key}', rate: 500, probes: ['warm'], connections: 25 }).connections).toBe(25);
  });

  it('refuses routing, unknown probes and {host}/{port} templates as usage errors', () => {
    expect(codeOf(() => latencyConfig({ target: 'http://127.0.0.1:8080/{key}', rate: 10, probes: ['routing'] }))).toBe('RS_USAGE');
    expect(codeOf(() => latencyConfig({ target: 'http://127.0.0.1:8080/{key}', rate: 10, probes: ['cold'] }))).toBe('RS_USAGE');
    expect(codeOf(() => latencyConfig({ target: 'http://{host}:{port}/{key}', rate: 10, probes: [] }))).toBe('RS_USAGE');
  });
});
