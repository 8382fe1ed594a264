/** Flags and small renderings shared by the `sandbox up | down | status` commands. */
import { Flags } from '@oclif/core';

export const stateDirFlag = Flags.string({
  helpValue: 'DIR',
  description: 'where the sandbox keeps its state, logs and key (default: $RINGSIDE_STATE_DIR, else $XDG_STATE_HOME/ringside/sandbox, else ~/.local/state/ringside/sandbox)',
});

/** ` --state-dir DIR` when the user chose one, so follow-up commands we suggest hit the same sandbox. */
export function stateDirSuffix(flag: string | undefined, stateDir: string): string {
  return flag === undefined ? '' : ` --state-dir ${stateDir}`;
}

export function tagList(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}
