/**
 * URL templates (CLI.md `bench --target`): `{host}`, `{port}` and `{key}` are substituted; the
 * key is URL-encoded. A probe needs an origin (host and port) and a path per key.
 */
import { usageError } from '../errors.js';

export interface Target {
  protocol: 'http:' | 'https:';
  host: string;
  port: number;
  /** Path and query with `{key}` still in it. */
  pathTemplate: string;
}

export function hasPlaceholder(template: string, name: 'host' | 'port' | 'key'): boolean {
  return template.includes(`{${name}}`);
}

/** Parses a template after substituting host and port; `{key}` may stay in the path. */
export function parseTarget(template: string, host?: string, port?: number): Target {
  let text = template;
  if (host !== undefined) text = text.replaceAll('{host}', host.includes(':') ? `[${host}]` : host);
  if (port !== undefined) text = text.replaceAll('{port}', String(port));
  if (text.includes('{host}') || text.includes('{port}')) {
    throw usageError(`--target ${template} has {host} or {port} but no cluster to take them from`, 'give --probe routing with a cluster source and --port-tag, or write the address');
  }
  let url: URL;
  try {
    url = new URL(text.replaceAll('{key}', '__RINGSIDE_KEY__'));
  } catch {
    throw usageError(`--target ${template} is not a URL`, 'write it like http://{host}:{port}/kv/{key}');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--target ${template} is not http or https`);
  const portNumber = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { protocol: url.protocol, host: hostname, port: portNumber, pathTemplate: `${url.pathname}${url.search}`.replaceAll('__RINGSIDE_KEY__', '{key}') };
}

export function pathFor(target: Target, key: string): string {
  return target.pathTemplate.replaceAll('{key}', encodeURIComponent(key));
}

export function originOf(target: Target): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.protocol}//${host}:${target.port}`;
}
