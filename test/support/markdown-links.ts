/**
 * Checks the relative links of Markdown files the way GitHub renders them: every link must point
 * at a file that exists inside the repository, and every `#anchor` (same file or `file.md#anchor`)
 * must name a heading of that file under GitHub's slug rules. Pure: files are read through the
 * `read` and `exists` functions it is given, so a test can feed it in-memory Markdown.
 */
import { posix } from 'node:path';

export interface LinkProblem {
  file: string;
  line: number;
  link: string;
  problem: string;
}

export interface LinkSource {
  /** The Markdown text of a repository-relative path, or undefined when there is none. */
  read(path: string): string | undefined;
  /** Whether a repository-relative path (file or directory) exists. */
  exists(path: string): boolean;
}

/** GitHub's anchor for a heading text: lowercase, punctuation dropped except '-' and '_', each space a '-'. */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link renders as its text
    .replace(/<[^>]+>/g, '') // inline HTML renders as nothing
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Blanks fenced code blocks and inline code spans, keeping line numbers and lengths. */
function withoutCode(markdown: string): string {
  let fence: string | undefined;
  const lines = markdown.split('\n').map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return '';
    }
    if (marker !== undefined) {
      fence = marker;
      return '';
    }
    return line;
  });
  return lines.join('\n').replace(/(`+)[\s\S]*?\1/g, (code) => code.replace(/[^\n]/g, ' '));
}

/** The anchors GitHub gives a file's headings; a repeated slug gets -1, -2, ... */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = githubSlug(heading);
    let slug = base;
    for (let n = 1; anchors.has(slug); n++) slug = `${base}-${n}`;
    anchors.add(slug);
  }
  return anchors;
}

/** Every link target in the Markdown outside code, with its line: inline links, images, reference definitions. */
export function linkTargets(markdown: string): Array<{ target: string; line: number }> {
  const text = withoutCode(markdown);
  const lineOf = (index: number): number => text.slice(0, index).split('\n').length;
  const found: Array<{ target: string; line: number }> = [];
  const inline = /\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
  for (const m of text.matchAll(inline)) found.push({ target: m[1] ?? '', line: lineOf(m.index) });
  const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm;
  for (const m of text.matchAll(definition)) found.push({ target: m[1] ?? '', line: lineOf(m.index) });
  return found.sort((a, b) => a.line - b.line);
}

/** Problems with the relative links of the given repository-relative Markdown files. */
export function checkMarkdownLinks(files: readonly string[], source: LinkSource): LinkProblem[] {
  const problems: LinkProblem[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (path: string): Set<string> | undefined => {
    if (!anchorsOf.has(path)) {
      const text = source.read(path);
      if (text === undefined) return undefined;
      anchorsOf.set(path, headingAnchors(text));
    }
    return anchorsOf.get(path);
  };
  for (const file of files) {
    const text = source.read(file);
    if (text === undefined) {
      problems.push({ file, line: 0, link: file, problem: 'file not found' });
      continue;
    }
    for (const { target, line } of linkTargets(text)) {
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      const hash = target.indexOf('#');
      const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
      const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
      const resolved = pathPart === '' ? file : posix.normalize(posix.join(posix.dirname(file), pathPart)).replace(/\/$/, '');
      const report = (problem: string): void => void problems.push({ file, line, link: target, problem });
      if (resolved === '..' || resolved.startsWith('../') || posix.isAbsolute(resolved)) {
        report('points outside the repository');
        continue;
      }
      if (!source.exists(resolved)) {
        report(`no such file: ${resolved}`);
        continue;
      }
      if (anchor === undefined || !resolved.endsWith('.md')) continue;
      if (!anchors(resolved)?.has(anchor)) report(`no heading #${anchor} in ${resolved}`);
    }
  }
  return problems;
}
