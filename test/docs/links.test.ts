// The README is the front page and docs/ the reference: every relative link in README.md,
// CHANGELOG.md and docs/*.md points at a file that exists, every #anchor at a heading that GitHub
// renders with that anchor, the README stays small enough to read in five minutes, and it links
// every docs page, each of which starts with a summary and links back.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkMarkdownLinks, githubSlug, headingAnchors, linkTargets, type LinkSource } from '../support/markdown-links.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const repository: LinkSource = {
  read: (path) => (existsSync(join(root, path)) && statSync(join(root, path)).isFile() ? readFileSync(join(root, path), 'utf8') : undefined),
  exists: (path) => existsSync(join(root, path)),
};
const docsPages = readdirSync(join(root, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => `docs/${name}`);

function inMemory(files: Record<string, string>, directories: string[] = []): LinkSource {
  return {
    read: (path) => files[path],
    exists: (path) => path in files || directories.includes(path),
  };
}

describe('the link checker', () => {
  it("gives headings GitHub's anchors", () => {
    expect(githubSlug('When the cluster is sick')).toBe('when-the-cluster-is-sick');
    expect(githubSlug("When the cluster is sick: every member's view, flaps, `diagnose`")).toBe('when-the-cluster-is-sick-every-members-view-flaps-diagnose');
    expect(githubSlug('Chaos: faults on real hosts that always clean up')).toBe('chaos-faults-on-real-hosts-that-always-clean-up');
    expect(githubSlug('What `npm run demo` does')).toBe('what-npm-run-demo-does');
    expect(githubSlug('snake_case and kebab-case, 2 > 1')).toBe('snake_case-and-kebab-case-2--1');
    expect(githubSlug('See [the gate](gate.md)')).toBe('see-the-gate');
    expect([...headingAnchors('# Notes\n## Notes\n```\n# not a heading\n```\n### Notes\n')]).toEqual(['notes', 'notes-1', 'notes-2']);
  });

  it('finds links outside code only, across line breaks, with their lines', () => {
    const markdown = 'one [a](x.md) and `[b](in-code.md)`\n```\n[c](fenced.md)\n```\n[d\ne](y.md#z) ![img](p.png)\n\n[ref]: r.md\n';
    expect(linkTargets(markdown)).toEqual([
      { target: 'x.md', line: 1 },
      { target: 'y.md#z', line: 5 },
      { target: 'p.png', line: 6 },
      { target: 'r.md', line: 8 },
    ]);
  });

  it('reports a dead link, a missing anchor and a link out of the repository, and nothing else', () => {
    const files = {
      'README.md': [
        '# Top',
        '',
        'Good: [a page](docs/a.md), [its heading](docs/a.md#real-heading), [the second Notes](docs/a.md#notes-1),',
        '[here](#top), [a folder](schemas/), [the web](https://example.com/missing.md).',
        'Dead: [gone](docs/missing.md) and [bad anchor](docs/a.md#nope) and [no such here](#bottom).',
        'Outside: [shared](../shared/CLI.md).',
        '```',
        '[in a code block](docs/also-missing.md)',
        '```',
      ].join('\n'),
      'docs/a.md': '# Real heading\n\n## Notes\n\n## Notes\n\nBack to the [README](../README.md#top).\n',
    };
    const problems = checkMarkdownLinks(['README.md', 'docs/a.md'], inMemory(files, ['schemas']));
    expect(problems).toEqual([
      { file: 'README.md', line: 5, link: 'docs/missing.md', problem: 'no such file: docs/missing.md' },
      { file: 'README.md', line: 5, link: 'docs/a.md#nope', problem: 'no heading #nope in docs/a.md' },
      { file: 'README.md', line: 5, link: '#bottom', problem: 'no heading #bottom in README.md' },
      { file: 'README.md', line: 6, link: '../shared/CLI.md', problem: 'points outside the repository' },
    ]);
  });
});

describe('README.md, CHANGELOG.md and docs/', () => {
  it('have no dead relative link and no anchor without its heading', () => {
    expect(docsPages.length).toBeGreaterThan(0);
    expect(checkMarkdownLinks(['README.md', 'CHANGELOG.md', ...docsPages], repository)).toEqual([]);
  });

  it('keep the README at most 15 KB', () => {
    expect(statSync(join(root, 'README.md')).size).toBeLessThanOrEqual(15 * 1024);
  });

  it('link every docs page from the README, and each page starts with a summary that links back', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const linked = new Set(linkTargets(readme).map(({ target }) => target.split('#')[0]));
    for (const page of docsPages) {
      expect(linked, `README.md links ${page}`).toContain(page);
      const [title, blank, summary] = readFileSync(join(root, page), 'utf8').split('\n');
      expect(title, `${page} starts with its title`).toMatch(/^# \S/);
      expect(blank, `${page}: a blank line after the title`).toBe('');
      expect(summary, `${page} starts with a summary paragraph`).toMatch(/^(?!```)[^#|>\-\s]/);
      const firstParagraph = readFileSync(join(root, page), 'utf8').split('\n\n')[1] ?? '';
      expect(firstParagraph, `${page}'s summary links back to the README`).toContain('](../README.md)');
    }
  });
});
