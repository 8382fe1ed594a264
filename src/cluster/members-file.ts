/**
 * Static membership files (`--members FILE`), parsed without I/O:
 *
 * - text: one member per line, `HOST:PORT [NAME] [TAG=VALUE ...]`; blank lines and `#` comments
 *   (at line start, or after whitespace) are ignored; NAME defaults to HOST:PORT;
 * - JSON: an array of `{"name", "addr", "tags", "status"}` (`addr` is HOST:PORT, or a host with
 *   a separate numeric `port`), or any object with such a `members` array (a snapshot, or the
 *   output of `ringside members --json`).
 */
import { fileError } from '../errors.js';
import { formatHostPort, isMemberStatus, type Member, parseHostPort, staticMember } from './member.js';

export function parseMembers(text: string, source: string): Member[] {
  const trimmed = text.trimStart();
  const members = trimmed.startsWith('[') || trimmed.startsWith('{') ? parseJsonMembers(text, source) : parseTextMembers(text, source);
  checkDistinct(members, source);
  return members;
}

function stripComment(line: string): string {
  const at = line.search(/(^|\s)#/);
  return (at === -1 ? line : line.slice(0, at)).trim();
}

function parseTextMembers(text: string, source: string): Member[] {
  const members: Member[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = stripComment(raw);
    if (line === '') return;
    const where = `${source}:${index + 1}`;
    const [addr = '', ...rest] = line.split(/\s+/);
    const hostPort = parseHostPort(addr);
    if (!hostPort) throw fileError(`${where}: "${addr}" is not HOST:PORT`, 'write one member per line as HOST:PORT [NAME] [TAG=VALUE ...]');
    let name: string | undefined;
    const tags: Record<string, string> = {};
    for (const word of rest) {
      const eq = word.indexOf('=');
      if (eq > 0) tags[word.slice(0, eq)] = word.slice(eq + 1);
      else if (eq === 0) throw fileError(`${where}: tag "${word}" has no name`, 'write tags as NAME=VALUE');
      else if (name === undefined) name = word;
      else throw fileError(`${where}: unexpected "${word}" after the name "${name}"`, 'write one member per line as HOST:PORT [NAME] [TAG=VALUE ...]');
    }
    members.push(staticMember(name ?? formatHostPort(hostPort), hostPort, tags));
  });
  return members;
}

function parseJsonMembers(text: string, source: string): Member[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw fileError(`${source} is not valid JSON (${(error as Error).message})`, 'fix the file or use the one-member-per-line format');
  }
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.members) ? doc.members : undefined;
  if (!list) throw fileError(`${source} has no members array`, 'give a JSON array of {"name","addr","tags"} or a ringside snapshot');
  return list.map((entry: unknown, i: number) => memberFromJson(entry, `${source}: members[${i}]`));
}

/** One member object from JSON (also used for snapshots). */
export function memberFromJson(entry: unknown, where: string): Member {
  if (!isObject(entry)) throw fileError(`${where} is not an object`);
  const { name, addr, port, tags, status } = entry;
  if (typeof addr !== 'string') throw fileError(`${where} has no "addr"`, 'every member needs "addr": "HOST:PORT"');
  const hostPort = parseHostPort(addr) ?? (typeof port === 'number' ? parseHostPort(formatHostPort({ host: addr, port })) : undefined);
  if (!hostPort) throw fileError(`${where}: "addr" ${JSON.stringify(addr)} is not HOST:PORT`);
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw fileError(`${where}: "name" must be a non-empty string`);
  if (tags !== undefined && (!isObject(tags) || Object.values(tags).some((v) => typeof v !== 'string'))) {
    throw fileError(`${where}: "tags" must be an object of strings`);
  }
  if (status !== undefined && !isMemberStatus(status)) throw fileError(`${where}: "status" must be alive, suspect, failed or left`);
  const member = staticMember(name ?? formatHostPort(hostPort), hostPort, { ...(tags as Record<string, string> | undefined) });
  if (status !== undefined) member.status = status;
  if (typeof entry.nativeStatus === 'string') member.nativeStatus = entry.nativeStatus;
  else if (status !== undefined) member.nativeStatus = status;
  if (typeof entry.incarnation === 'number' && Number.isSafeInteger(entry.incarnation)) member.incarnation = entry.incarnation;
  if (isObject(entry.protocol)) member.protocol = entry.protocol;
  return member;
}

function checkDistinct(members: readonly Member[], source: string): void {
  if (members.length === 0) throw fileError(`${source} lists no members`, 'add one HOST:PORT [NAME] per line');
  const names = new Set<string>();
  const addrs = new Map<string, string>();
  for (const member of members) {
    if (names.has(member.name)) throw fileError(`${source}: member "${member.name}" is listed twice`, 'every member needs a distinct name');
    names.add(member.name);
    const other = addrs.get(member.addr);
    if (other !== undefined) throw fileError(`${source}: members "${other}" and "${member.name}" share the address ${member.addr}`);
    addrs.set(member.addr, member.name);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
