/**
 * Failed requests by kind (never inside the latency histograms): timeout, refused, reset,
 * HTTP 4xx, HTTP 5xx, other. Works on Node's socket errors and undici's error codes.
 */
import { ERROR_KINDS, type ErrorCounts, type ErrorKind } from './types.js';

const BY_CODE: Record<string, ErrorKind> = {
  ETIMEDOUT: 'timeout',
  RS_TIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  RS_CLOSED: 'reset',
};

export function errorKindOf(error: unknown): ErrorKind {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && BY_CODE[code] !== undefined) return BY_CODE[code] as ErrorKind;
    current = (current as { cause?: unknown }).cause;
  }
  return 'other';
}

/** Status codes that count as errors: 4xx and 5xx (the response arrived, but it failed). */
export function statusKindOf(statusCode: number): ErrorKind | undefined {
  if (statusCode >= 500) return 'http5xx';
  if (statusCode >= 400) return 'http4xx';
  return undefined;
}

export function zeroErrors(): ErrorCounts {
  return Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as ErrorCounts;
}

export function addErrors(into: ErrorCounts, from: Partial<ErrorCounts>): ErrorCounts {
  for (const kind of ERROR_KINDS) into[kind] += from[kind] ?? 0;
  return into;
}

export function errorTotal(counts: ErrorCounts): number {
  return ERROR_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
}

/** A timeout raised by ringside itself (no answer within requestTimeoutMs). */
export function timeoutError(ms: number): Error {
  return Object.assign(new Error(`no complete answer within ${ms} ms`), { code: 'RS_TIMEOUT' });
}

/** The peer closed the connection before the response was complete. */
export function closedError(): Error {
  return Object.assign(new Error('connection closed before the response was complete'), { code: 'RS_CLOSED' });
}
