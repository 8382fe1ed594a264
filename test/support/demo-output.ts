/** Reading the demo's console output: the `members` table after `$ ringside members`. */
export function serfMembersOf(out: string): Array<[string, string]> {
  const section = out.split(/^\$ ringside members /m)[1]?.split(/^\$ /m)[0] ?? '';
  return section
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(/\s+/))
    .map((cols) => [cols[0] as string, cols[2] as string]);
}
