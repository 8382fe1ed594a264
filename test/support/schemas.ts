/** The published JSON Schemas (schemas/), loaded once: `validate(id, data)` is 'valid' or ajv's errors. */
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const dir = new URL('../../schemas/', import.meta.url);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.schema.json'))) {
  ajv.addSchema(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
}

export function validate(id: string, data: unknown): string {
  const ok = ajv.validate(`https://ringside.dev/schemas/${id}.schema.json`, data);
  return ok ? 'valid' : ajv.errorsText(ajv.errors);
}
