// The benchmark table and its goals, from a results document (bench/.results/latest.json, written
// by bench/run.js): one definition of every row, used for the console table, for the Markdown
// table the docs quote (scripts/bench-table.js) and for `--check`, so a goal is never only a label.
// Pure: no I/O, no clock. Every figure is the median of its runs with min-max beside it, and goals
// are checked on the median.
//
// A results document has `samples[series][side]`: the arrays of per-run figures, e.g.
// samples.lookupsPerSec.ringside = [17.1e6, 17.4e6, 17.3e6]; `peers` names the peers' versions and
// `machine.cores` the cores the run had.

export const SCHEMA = 'ringside-bench/2';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** { median, min, max, n } of a series, or null when it was not measured. */
export function spread(values) {
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) return null;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

const UNITS = {
  'M/s': { scale: 1e-6, digits: 2, suffix: ' M/s' },
  ms: { scale: 1, digits: 1, suffix: ' ms' },
  ms0: { scale: 1, digits: 0, suffix: ' ms' },
  s: { scale: 1e-3, digits: 1, suffix: ' s' },
  us: { scale: 1, digits: 0, suffix: ' µs' },
  'k/s': { scale: 1e-3, digits: 1, suffix: 'k req/s' },
  pct: { scale: 1, digits: 1, suffix: '% of a core' },
  MiB: { scale: 1, digits: 1, suffix: ' MiB' },
};

function number(value, unit) {
  const u = UNITS[unit];
  return (value * u.scale).toFixed(u.digits);
}

/** "17.36 M/s (16.90-17.80, n=3)": the median, then min-max and how many runs. */
export function formatSpread(s, unit) {
  if (s === null) return 'not measured';
  return `${number(s.median, unit)}${UNITS[unit].suffix} (${number(s.min, unit)}–${number(s.max, unit)}, n=${s.n})`;
}

const wrkName = (p) => p.wrk ?? 'wrk (not installed)';
const times = (r) => `${r.toFixed(r >= 10 ? 1 : 2)}x`;

/**
 * Every row of the table, in order. `ringside` and each peer's `series` are "series.side" paths
 * into samples; `better` says which way is better (for the ratio); `ratio` compares with a peer
 * (`peer`: its index) or with another row (`row`); `goal` is checked on medians:
 *   measure 'median'    ringside's median            e.g. plan < 200 ms
 *           'advantage' how many times better than the peer (peer/ringside for times)
 *           'relative'  ringside's median / the peer's    e.g. p50 <= 2x wrk's
 *           'ofRow'     ringside's median / another row's ringside median
 *   `requires.cores`: the goal is not applicable on a machine with fewer cores (said so, not hidden).
 */
export const ROWS = [
  { id: 'lookups', section: 'ring', benchmark: 'owner lookups/s, 100 nodes x 100 points, 100k keys (same warm-up both sides)', unit: 'M/s', better: 'higher', ringside: 'lookupsPerSec.ringside', peers: [{ name: (p) => `${p.ringpop} HashRing`, series: 'lookupsPerSec.ringpop' }], ratio: { peer: 0 }, goal: { text: '>= 5x ringpop', measure: 'advantage', peer: 0, op: '>=', limit: 5, unit: 'x' } },
  { id: 'build', section: 'ring', benchmark: 'build a ring of 1,000 nodes x 100 points, best of 5 in a process', unit: 'ms', better: 'lower', ringside: 'buildMs.ringside', peers: [{ name: (p) => p.ringpop, series: 'buildMs.ringpop' }], ratio: { peer: 0 }, goal: { text: '>= 10x faster than ringpop', measure: 'advantage', peer: 0, op: '>=', limit: 10, unit: 'x' } },
  { id: 'buildFirst', section: 'ring', benchmark: 'build a ring of 1,000 nodes x 100 points, first in a fresh process', unit: 'ms', better: 'lower', ringside: 'buildMsFirst.ringside', peers: [{ name: (p) => p.ringpop, series: 'buildMsFirst.ringpop' }], ratio: { peer: 0 } },
  { id: 'plan', section: 'ring', benchmark: 'plan 1,000 nodes x 256 vnodes, one node added, best of 5', unit: 'ms', better: 'lower', ringside: 'planMs.ringside', peers: [], goal: { text: '< 200 ms', measure: 'median', op: '<', limit: 200, unit: ' ms' } },
  { id: 'planFirst', section: 'ring', benchmark: 'plan 1,000 nodes x 256 vnodes, one node added, first in a fresh process', unit: 'ms', better: 'lower', ringside: 'planMsFirst.ringside', peers: [], goal: { text: '< 200 ms', measure: 'median', op: '<', limit: 200, unit: ' ms' } },
  { id: 'membersCommand', section: 'serf', benchmark: 'complete membership of 5 encrypted Serf agents, as a command', unit: 'ms', better: 'lower', ringside: 'membersCommandMs.ringside', peers: [{ name: (p) => `\`serf members\` over RPC (${p.serf})`, series: 'membersCommandMs.serf' }], ratio: { peer: 0 } },
  { id: 'observerExchange', section: 'serf', benchmark: 'the same, the gossip exchange itself (in-process, median of 5 per run)', unit: 'ms', better: 'lower', ringside: 'observerExchangeMs.ringside', peers: [] },
  { id: 'detectPassive', section: 'serf', benchmark: '`kill -9` of an agent reported failed by `watch`, after Serf declared it (passive)', unit: 'ms0', better: 'lower', ringside: 'detectionLagMs.passive', peers: [{ name: () => "Serf's first `EventMemberFailed` (the reference, 0), after the kill", series: 'serfFailedAfterKillMs.serf', unit: 's' }], goal: { text: '<= 3000 ms', measure: 'median', op: '<=', limit: 3000, unit: ' ms' } },
  { id: 'detectMember', section: 'serf', benchmark: '`kill -9` of an agent reported failed by `watch`, after Serf declared it (member mode)', unit: 'ms0', better: 'lower', ringside: 'detectionLagMs.member', peers: [], goal: { text: '<= 500 ms', measure: 'median', op: '<=', limit: 500, unit: ' ms' } },
  { id: 'decode', section: 'serf', benchmark: 'decode a 10,000-member push-pull (synthesized: Go layout, LZW, encrypted)', unit: 'ms', better: 'lower', ringside: 'decodeMs.ringside', peers: [], goal: { text: '< 1000 ms', measure: 'median', op: '<', limit: 1000, unit: ' ms' } },
  { id: 'decodeHeap', section: 'serf', benchmark: 'heap the decoded 10,000-member table holds, after a forced GC', unit: 'MiB', better: 'lower', ringside: 'decodeRetainedHeapMB.ringside', peers: [] },
  { id: 'ringpopMembers', section: 'ringpop', benchmark: '`members --protocol ringpop --all-views`, 5 ringpop nodes, fresh process', unit: 'ms', better: 'lower', ringside: 'ringpopMembersMs.ringside', peers: [{ name: (p) => `${p.tchannel} client script (ringpop-admin's crawl)`, series: 'ringpopMembersMs.tchannel' }], ratio: { peer: 0 } },
  { id: 'cliStartup', section: 'ringpop', benchmark: '  of which ringside CLI start-up (`ringside --version`)', unit: 'ms', better: 'lower', ringside: 'cliStartupMs.ringside', peers: [] },
  { id: 'statsCall', section: 'ringpop', benchmark: 'one warm `/admin/stats` exchange (median of 200 per run, same warm-up)', unit: 'us', better: 'lower', ringside: 'statsCallUs.ringside', peers: [{ name: (p) => p.tchannel, series: 'statsCallUs.tchannel' }], ratio: { peer: 0 } },
  { id: 'probeRps1', section: 'probes', benchmark: 'warm probe req/s, 1 connection, 1 worker (Node no-op server)', unit: 'k/s', better: 'higher', ringside: 'probeRps1.ringside', peers: [{ name: (p) => p.autocannon, series: 'probeRps1.autocannon' }, { name: wrkName, series: 'probeRps1.wrk' }], ratio: { peer: 0 }, goal: { text: '>= 1x autocannon', measure: 'advantage', peer: 0, op: '>=', limit: 1, unit: 'x' } },
  { id: 'probeRps10', section: 'probes', benchmark: 'warm probe req/s, 10 connections, 1 worker', unit: 'k/s', better: 'higher', ringside: 'probeRps10.ringside', peers: [{ name: (p) => p.autocannon, series: 'probeRps10.autocannon' }, { name: wrkName, series: 'probeRps10.wrk' }], ratio: { peer: 0 }, goal: { text: '>= 1x autocannon', measure: 'advantage', peer: 0, op: '>=', limit: 1, unit: 'x' } },
  { id: 'probeRps10w2', section: 'probes', benchmark: 'warm probe req/s, 10 connections, 2 workers', unit: 'k/s', better: 'higher', ringside: 'probeRps10w2.ringside', peers: [], ratio: { row: 'probeRps10', words: 'of 1 worker' }, goal: { text: '>= 1.5x of 1 worker (4+ cores)', measure: 'ofRow', row: 'probeRps10', op: '>=', limit: 1.5, unit: 'x', requires: { cores: 4, why: 'the server under test and 2 workers need their own cores' } } },
  { id: 'probeP50', section: 'probes', benchmark: 'p50 on 1 connection to a no-op server (self-overhead; autocannon reports whole ms)', unit: 'us', better: 'lower', ringside: 'probeP50Us.ringside', peers: [{ name: wrkName, series: 'probeP50Us.wrk' }], ratio: { peer: 0, style: 'relative' }, goal: { text: "<= 2x wrk's", measure: 'relative', peer: 0, op: '<=', limit: 2, unit: 'x' } },
  { id: 'dashMainThread', section: 'dash', benchmark: '`dash` with 1,000 members (10 changes/s) and the real probe at 1,000 req/s, 160x50: CPU of its main thread (the dashboard and the observer; the probe runs in a worker thread)', unit: 'pct', better: 'lower', ringside: 'dashMainThreadCpuPercent.ringside', peers: [{ name: () => 'same observer and probe, no dashboard', series: 'dashMainThreadCpuPercent.baseline' }], goal: { text: '< 10% of a core', measure: 'median', op: '<', limit: 10, unit: '%' } },
  { id: 'dashCpu', section: 'dash', benchmark: '  the same `dash` process, all threads (the probe included)', unit: 'pct', better: 'lower', ringside: 'dashCpuPercent.ringside', peers: [{ name: () => 'no dashboard', series: 'dashCpuPercent.baseline' }] },
  { id: 'probeCpu', section: 'dash', benchmark: '  the probe on its own at 1,000 req/s (`bench --rate 1000`, warm, 10 connections, 1 worker), all threads', unit: 'pct', better: 'lower', ringside: 'probeCpuPercent.ringside', peers: [{ name: (p) => `${p.autocannon ?? 'autocannon'} at -R 1000 -c 10`, series: 'probeCpuPercent.autocannon' }], ratio: { peer: 0, style: 'relative' } },
  { id: 'startupOwner', section: 'startup', benchmark: '`owner KEY --members FILE`: CLI overhead over `node -e 0` (same round, fresh processes)', unit: 'ms', better: 'lower', ringside: 'startupOwnerMs.overhead', peers: [{ name: () => '`node -e 0` itself', series: 'startupBareMs.node' }], goal: { text: '<= 90 ms', measure: 'median', op: '<=', limit: 90, unit: ' ms' } },
  { id: 'startupRing', section: 'startup', benchmark: '`ring --members FILE`: CLI overhead over `node -e 0`', unit: 'ms', better: 'lower', ringside: 'startupRingMs.overhead', peers: [], goal: { text: '<= 90 ms', measure: 'median', op: '<=', limit: 90, unit: ' ms' } },
  { id: 'startupPlan', section: 'startup', benchmark: '`plan --add NODE --members FILE`: CLI overhead over `node -e 0`', unit: 'ms', better: 'lower', ringside: 'startupPlanMs.overhead', peers: [], goal: { text: '<= 90 ms', measure: 'median', op: '<=', limit: 90, unit: ' ms' } },
  { id: 'startupHelp', section: 'startup', benchmark: '`--help`: CLI overhead over `node -e 0`', unit: 'ms', better: 'lower', ringside: 'startupHelpMs.overhead', peers: [], goal: { text: '<= 90 ms', measure: 'median', op: '<=', limit: 90, unit: ' ms' } },
  { id: 'startupOwner22', section: 'startup', benchmark: '`owner KEY --members FILE` on Node 22: CLI overhead over `node -e 0`', unit: 'ms', better: 'lower', ringside: 'startupOwnerMs22.overhead', peers: [{ name: () => '`node -e 0` itself (Node 22)', series: 'startupBareMs22.node' }], goal: { text: '<= 90 ms', measure: 'median', op: '<=', limit: 90, unit: ' ms' } },
  { id: 'startupHelp22', section: 'startup', benchmark: '`--help` on Node 22: CLI overhead over `node -e 0`', unit: 'ms', better: 'lower', ringside: 'startupHelpMs22.overhead', peers: [], goal: { text: '<= 90 ms', measure: 'median', op: '<=', limit: 90, unit: ' ms' } },
  { id: 'startupOwner24', section: 'startup', benchmark: '`owner KEY --members FILE` on Node 24: CLI overhead over `node -e 0`', unit: 'ms', better: 'lower', ringside: 'startupOwnerMs24.overhead', peers: [{ name: () => '`node -e 0` itself (Node 24)', series: 'startupBareMs24.node' }], goal: { text: '<= 90 ms', measure: 'median', op: '<=', limit: 90, unit: ' ms' } },
  { id: 'startupHelp24', section: 'startup', benchmark: '`--help` on Node 24: CLI overhead over `node -e 0`', unit: 'ms', better: 'lower', ringside: 'startupHelpMs24.overhead', peers: [], goal: { text: '<= 90 ms', measure: 'median', op: '<=', limit: 90, unit: ' ms' } },
  { id: 'importRing', section: 'startup', benchmark: "`import('ringside/ring')` over bare Node", unit: 'ms', better: 'lower', ringside: 'importRingMs.overhead', peers: [], goal: { text: '<= 15 ms', measure: 'median', op: '<=', limit: 15, unit: ' ms' } },
  { id: 'importRoot', section: 'startup', benchmark: "`import('ringside')` (everything) over bare Node", unit: 'ms', better: 'lower', ringside: 'importRootMs.overhead', peers: [] },
  { id: 'fanoutSpread', section: 'fanout', benchmark: 'a halves partition on 8 hosts (network namespaces): first to last host changed', unit: 'ms0', better: 'lower', ringside: 'fanoutSpreadMs.ringside', peers: [{ name: () => 'the same, one host after another (`--parallel 1`)', series: 'fanoutSpreadMs.sequential' }], ratio: { peer: 0 }, goal: { text: '<= 1000 ms', measure: 'median', op: '<=', limit: 1000, unit: ' ms' } },
  { id: 'fanoutApply', section: 'fanout', benchmark: '  the whole `chaos partition` on 8 hosts (check, journal, arm, apply), as a command', unit: 'ms0', better: 'lower', ringside: 'fanoutApplyMs.ringside', peers: [{ name: () => '`--parallel 1`', series: 'fanoutApplyMs.sequential' }], ratio: { peer: 0 } },
  { id: 'fanoutHeal', section: 'fanout', benchmark: '  `chaos heal` of it on 8 hosts, as a command', unit: 'ms0', better: 'lower', ringside: 'fanoutHealMs.ringside', peers: [] },
];

function series(results, path) {
  const [name, side] = path.split('.');
  return spread(results.samples?.[name]?.[side]);
}

const peerName = (results, peer) => peer.name(results.peers ?? {}) ?? 'peer';

/** How many times better ringside is than `peer` (> 1: better), from medians. */
function advantage(row, rs, peer) {
  return row.better === 'higher' ? rs.median / peer.median : peer.median / rs.median;
}

function rowById(id) {
  const row = ROWS.find((r) => r.id === id);
  if (!row) throw new Error(`no benchmark row ${id}`);
  return row;
}

function ratioCell(results, row) {
  if (!row.ratio) return '';
  const rs = series(results, row.ringside);
  if (rs === null) return '';
  if (row.ratio.row !== undefined) {
    const other = series(results, rowById(row.ratio.row).ringside);
    return other === null ? '' : `${times(rs.median / other.median)} ${row.ratio.words}`;
  }
  const peer = row.peers[row.ratio.peer];
  const ps = series(results, peer.series);
  if (ps === null) return '';
  if (row.ratio.style === 'relative') return `${times(rs.median / ps.median)} ${peerName(results, peer).split(' ')[0]}'s`;
  const a = advantage(row, rs, ps);
  return a >= 1 ? `${times(a)} faster` : `${times(1 / a)} slower`;
}

function peerCell(results, row) {
  if (row.peers.length === 0) return '-';
  return row.peers.map((peer) => `${peerName(results, peer)}: ${formatSpread(series(results, peer.series), peer.unit ?? row.unit)}`).join(' · ');
}

/** The value a goal is checked on, or null when something it needs was not measured. */
function goalValue(results, row) {
  const goal = row.goal;
  const rs = series(results, row.ringside);
  if (rs === null) return null;
  if (goal.measure === 'median') return rs.median;
  if (goal.measure === 'ofRow') {
    const other = series(results, rowById(goal.row).ringside);
    return other === null ? null : rs.median / other.median;
  }
  const ps = series(results, row.peers[goal.peer].series);
  if (ps === null) return null;
  return goal.measure === 'advantage' ? advantage(row, rs, ps) : rs.median / ps.median;
}

const MET = { '>=': (v, l) => v >= l, '<=': (v, l) => v <= l, '<': (v, l) => v < l };
const show = (value, unit) => (unit === 'x' ? `${value.toFixed(2)}x` : `${value.toFixed(1)}${unit}`);

/**
 * Every goal's outcome: status 'met', 'missed', 'unmeasured' (something it needs is missing: not
 * met either) or 'not-applicable' (the machine lacks what the goal needs, e.g. cores), with the
 * measured value and, when missed, by how much.
 */
export function evaluateGoals(results) {
  return ROWS.filter((row) => row.goal).map((row) => {
    const goal = row.goal;
    const base = { id: row.id, benchmark: row.benchmark.trim(), goal: goal.text };
    const cores = results.machine?.cores;
    if (goal.requires?.cores !== undefined && !(cores >= goal.requires.cores)) {
      return { ...base, status: 'not-applicable', value: goalValue(results, row), note: `needs ${goal.requires.cores} cores, this machine has ${cores ?? 'an unknown number'} (${goal.requires.why})` };
    }
    const value = goalValue(results, row);
    if (value === null) return { ...base, status: 'unmeasured', value: null, note: 'not measured in this run' };
    if (MET[goal.op](value, goal.limit)) return { ...base, status: 'met', value, note: `measured ${show(value, goal.unit)}` };
    const gap = Math.abs(value - goal.limit);
    const word = goal.op === '>=' ? 'short by' : 'over by';
    return { ...base, status: 'missed', value, note: `measured ${show(value, goal.unit)}, ${word} ${show(gap, goal.unit)} (${((100 * gap) / goal.limit).toFixed(0)}% of the goal)` };
  });
}

/** The goals that fail `--check`: missed or not measured. */
export function failedGoals(results) {
  return evaluateGoals(results).filter((g) => g.status === 'missed' || g.status === 'unmeasured');
}

function metCell(outcome) {
  if (outcome === undefined) return '';
  if (outcome.status === 'met') return 'yes';
  if (outcome.status === 'missed') return `**no**: ${outcome.note}`;
  if (outcome.status === 'unmeasured') return '**no**: not measured';
  return `n/a: ${outcome.note}`;
}

export const COLUMNS = ['benchmark', 'ringside', 'peer', 'ratio', 'goal', 'met?'];

/** The table's cells, one array per row, in COLUMNS order. */
export function tableRows(results) {
  const outcomes = new Map(evaluateGoals(results).map((g) => [g.id, g]));
  return ROWS.map((row) => [row.benchmark, formatSpread(series(results, row.ringside), row.unit), peerCell(results, row), ratioCell(results, row), row.goal?.text ?? '', metCell(outcomes.get(row.id))]);
}

/** One line on what the table is: when, where, how many runs and how they are summarized. */
export function describeRun(results) {
  const m = results.machine ?? {};
  return `Node ${results.node}, ${m.cores ?? '?'} cores (${m.cpu ?? 'unknown CPU'}), ${results.date}: each figure is the median of its runs (min–max, n = runs), every run a fresh process, the two sides alternating; goals are checked on the median.`;
}

const escapeCell = (text) => text.replaceAll('|', '\\|');

/** The Markdown table (benchmark, ringside, peer, ratio, goal, met?) the docs quote. */
export function markdownTable(results) {
  const lines = [`| ${COLUMNS.join(' | ')} |`, `| ${COLUMNS.map(() => '---').join(' | ')} |`];
  for (const cells of tableRows(results)) lines.push(`| ${cells.map((c) => escapeCell(c.trim())).join(' | ')} |`);
  return lines.join('\n');
}

/** The same table for a terminal: one block per row, the long peer cell on its own line. */
export function textTable(results) {
  const rows = tableRows(results);
  const width = Math.max(...rows.map((r) => r[0].length));
  const out = [];
  for (const [benchmark, ours, peer, ratio, goal, met] of rows) {
    const tail = [ratio, goal && `goal ${goal}`, met && `met: ${met.replaceAll('**', '')}`].filter(Boolean).join('   ');
    out.push(`${benchmark.padEnd(width)}  ${ours}${tail ? `   ${tail}` : ''}`);
    if (peer !== '-') out.push(`${''.padEnd(width)}    peer: ${peer}`);
  }
  return out.join('\n');
}

/** The lines `--check` prints: one per goal, failures first with how far they are off. */
export function checkReport(results) {
  const outcomes = evaluateGoals(results);
  const order = { missed: 0, unmeasured: 1, 'not-applicable': 2, met: 3 };
  return [...outcomes].sort((a, b) => order[a.status] - order[b.status]).map((g) => `${g.status === 'met' ? 'met   ' : g.status === 'not-applicable' ? 'n/a   ' : 'FAILED'}  ${g.benchmark}: goal ${g.goal}; ${g.note}`);
}
