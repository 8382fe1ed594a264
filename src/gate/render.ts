/**
 * The gate report for people and for CI: an aligned table (terminal), a Markdown summary (GitHub
 * step summary, PR comments) and JUnit XML (one testcase per check, failures and skips marked).
 * Pure: a GateReport in, text out.
 */
import { renderTable } from '../table.js';
import { formatValue, type GateCheck, type GateReport } from './compare.js';

const MARK: Record<GateCheck['status'], string> = { pass: 'ok', fail: 'FAIL', skip: 'skip' };

function value(v: number | null, unit: GateCheck['unit']): string {
  return v === null ? '-' : formatValue(v, unit);
}

function changeText(c: GateCheck): string {
  return c.change === null ? '-' : `${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(1)}%`;
}

function limitText(c: GateCheck): string {
  if (c.limit === null) return '-';
  return `${c.op ?? ''} ${value(c.limit, c.unit)}`.trim();
}

function headline(report: GateReport): string {
  const { pass, fail, skip } = report.counts;
  return `${report.passed ? 'PASS' : 'FAIL'}: ${pass} passed, ${fail} failed, ${skip} skipped`;
}

export function renderGateTable(report: GateReport): string {
  const table = renderTable(report.checks, [
    { header: 'CHECK', value: (c) => c.name },
    { header: 'BASELINE', value: (c) => value(c.baseline, c.unit), align: 'right' },
    { header: 'CURRENT', value: (c) => value(c.current, c.unit), align: 'right' },
    { header: 'CHANGE', value: changeText, align: 'right' },
    { header: 'LIMIT', value: limitText },
    { header: 'RESULT', value: (c) => MARK[c.status] },
  ]);
  const notes = report.checks.filter((c) => c.status !== 'pass').map((c) => `  ${MARK[c.status]}: ${c.message}`);
  return [`baseline ${report.baseline.file}  ->  current ${report.current.file}`, '', report.checks.length > 0 ? table : '(no checks: give --threshold or --max-regression)', ...(notes.length > 0 ? ['', ...notes] : []), '', headline(report)].join('\n');
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderGateMarkdown(report: GateReport): string {
  const icon = report.passed ? '✅' : '❌';
  const rows = report.checks.map((c) =>
    `| ${mdCell(c.name)} | ${mdCell(value(c.baseline, c.unit))} | ${mdCell(value(c.current, c.unit))} | ${changeText(c)} | ${mdCell(limitText(c))} | ${c.status === 'pass' ? '✅ pass' : c.status === 'fail' ? '❌ **fail**' : '⚪ skip'} |`,
  );
  const notes = report.checks.filter((c) => c.status !== 'pass').map((c) => `- **${mdCell(c.name)}** (${c.status}): ${mdCell(c.message)}`);
  return [
    `### ${icon} ringside gate: ${headline(report)}`,
    '',
    `Baseline \`${report.baseline.file}\`, current \`${report.current.file}\`.`,
    '',
    '| check | baseline | current | change | limit | result |',
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...rows,
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
  ].join('\n');
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function renderJunit(report: GateReport, timestamp: string = new Date().toISOString()): string {
  const { pass, fail, skip } = report.counts;
  const total = pass + fail + skip;
  const cases = report.checks.map((c) => {
    const open = `    <testcase classname="ringside.gate.${xmlEscape(c.probe)}" name="${xmlEscape(c.name)}" time="0">`;
    const detail = `baseline ${value(c.baseline, c.unit)}, current ${value(c.current, c.unit)}, limit ${limitText(c)}`;
    if (c.status === 'fail') return `${open}\n      <failure message="${xmlEscape(c.message)}" type="${c.kind}">${xmlEscape(detail)}</failure>\n    </testcase>`;
    if (c.status === 'skip') return `${open}\n      <skipped message="${xmlEscape(c.message)}"/>\n    </testcase>`;
    return `${open}\n      <system-out>${xmlEscape(`${c.message}; ${detail}`)}</system-out>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ringside gate" tests="${total}" failures="${fail}" errors="0" skipped="${skip}" time="0">`,
    `  <testsuite name="ringside gate" tests="${total}" failures="${fail}" errors="0" skipped="${skip}" time="0" timestamp="${xmlEscape(timestamp)}">`,
    `    <properties>`,
    `      <property name="baseline" value="${xmlEscape(report.baseline.file)}"/>`,
    `      <property name="current" value="${xmlEscape(report.current.file)}"/>`,
    `    </properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
