import { writeFileSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { RingsideCommand, toJson } from '../../cli/base-command.js';
import { readTextFile } from '../../files.js';
import { usageError } from '../../errors.js';
import { looksLikeHlog, mergeHlogs, readHlog } from '../../probes/hlog.js';
import { hlogTotals, type HlogTotals, mergeResults, parseBenchResult, type ShardCoverage } from '../../probes/merge.js';
import { renderBenchSummary } from '../../probes/summary.js';
import type { BenchResult } from '../../probes/types.js';

export default class BenchMerge extends RingsideCommand {
  static override summary = 'Merge bench results or HdrHistogram logs from several hosts, exactly';
  static override usage = 'bench merge FILE... [-o FILE]';
  static override strict = false;
  static override args = { file: Args.string({ description: 'result JSON files (bench -o) or .hlog files (bench --hlog), all of one kind' }) };
  static override examples = ['<%= config.bin %> bench merge host1.json host2.json -o all.json', '<%= config.bin %> bench merge host1.hlog host2.hlog -o all.hlog'];

  static override flags = {
    output: Flags.string({ char: 'o', helpValue: 'FILE', description: 'write the merged result (or, for logs, the merged .hlog) here' }),
  };

  async run(): Promise<BenchResult | HlogTotals> {
    const { flags, argv } = await this.parse(BenchMerge);
    const files = argv as string[];
    if (files.length === 0) throw usageError('no files given', 'pass result JSON files or .hlog files');
    const texts = await Promise.all(files.map((f) => readTextFile(f, 'bench file')));
    const logs = texts.map((t) => looksLikeHlog(t));
    if (logs.some((l) => l !== logs[0])) throw usageError('the files mix result JSON and .hlog', 'merge files of one kind');
    if (logs[0]) {
      const read = texts.map((t, i) => readHlog(t, files[i]));
      if (flags.output !== undefined) writeFileSync(flags.output, mergeHlogs(read));
      return this.output(hlogTotals(read), flags.json, renderBenchSummary);
    }
    const merged = mergeResults(texts.map((t, i) => parseBenchResult(t, files[i] as string)));
    const shards = merged.config.shards as ShardCoverage | undefined;
    if (shards?.partial) process.stderr.write(`ringside: warning: partial: shard${shards.missing.length === 1 ? '' : 's'} ${shards.missing.map((i) => `${i}/${shards.count}`).join(', ')} missing; the merged figures cover ${shards.present.length} of ${shards.count} shards\n`);
    if (flags.output !== undefined) writeFileSync(flags.output, `${toJson(merged)}\n`);
    return this.output(merged, flags.json, renderBenchSummary);
  }
}
