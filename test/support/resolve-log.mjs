// A Node module hook (registered with --import) that appends every module URL the process
// resolves to the file named by RS_RESOLVE_LOG: how the library tests see what a subpath loads.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.RS_RESOLVE_LOG) appendFileSync(process.env.RS_RESOLVE_LOG, `${resolved.url}\n`);
  return resolved;
}
