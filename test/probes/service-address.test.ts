// Regression: `sandbox up --service` tags members `http=HOST:PORT`, and `bench --port-tag http`
// refused them ("has no port in tag") because it read only a bare port.
import { describe, expect, it } from 'vitest';
import { serviceAddress } from '../../src/cli/bench-options.js';

describe('serviceAddress (--port-tag values)', () => {
  it.each([
    ['8080', { host: '10.0.0.5', port: 8080 }],
    [' 8080 ', { host: '10.0.0.5', port: 8080 }],
    ['127.0.0.1:39001', { host: '127.0.0.1', port: 39001 }],
    ['svc.internal:443', { host: 'svc.internal', port: 443 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
  ])('reads %j', (tag, expected) => {
    expect(serviceAddress(tag, '10.0.0.5')).toEqual(expected);
  });

  it.each([undefined, '', '0', '65536', 'http', '10.0.0.1', '10.0.0.1:', ':80', '1.2.3.4:99999', '8080x'])('refuses %j', (tag) => {
    expect(serviceAddress(tag, '10.0.0.5')).toBeUndefined();
  });
});
