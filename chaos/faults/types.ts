/**
 * Faults as data: a fault plan is the exact list of commands (argv arrays, never shell strings)
 * that puts a fault on one host, and the exact list that takes it off again. Pure types.
 */

/** One command as an argv array: argv[0] is the program, the rest are its arguments verbatim. */
export type Argv = readonly string[];

/**
 * One step of a plan. `onlyIf`/`unless` make steps idempotent without ever failing on "already
 * there" / "not there" (the `File exists` class of errors): the guard runs first and its exit
 * status decides whether `run` runs.
 */
export interface Step {
  run: Argv;
  /** Run `run` only when this exits 0 (e.g. `iptables -C` before `iptables -D`). */
  onlyIf?: Argv;
  /** Skip `run` when this exits 0 (e.g. `iptables -C` before `iptables -I`). */
  unless?: Argv;
  /** Run again while `onlyIf` still exits 0 (at most 100 times): removes duplicates too. */
  repeat?: boolean;
}

/** What a fault does on one host: apply, then its exact inverse. */
export interface HostPlan {
  apply: Step[];
  revert: Step[];
}

/** The tools a plan needs on the host (checked before anything is applied). */
export interface Needs {
  /** The packet filter the rules are written for; `ipv6`: ip6tables too. */
  firewall?: Firewall;
  ipv6?: boolean;
  /** tc qdisc kinds, e.g. ['netem'] or ['tbf']. */
  qdiscs?: string[];
  /** Network devices that must exist and carry no foreign root qdisc. */
  devices?: string[];
}

export interface FaultPlan extends HostPlan {
  id: string;
  kind: FaultKind;
  /** One line for people: what the fault does. */
  summary: string;
  /** What the fault acts on (addresses, devices, groups), for `status`. */
  targets: string[];
  needs: Needs;
}

export const FAULT_KINDS = ['loss', 'delay', 'duplicate', 'reorder', 'corrupt', 'bandwidth', 'partition'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** How a host filters packets: iptables (nf_tables or legacy back end), or nft alone. */
export type Firewall = 'iptables' | 'nft';

/** The executor's own control connection, exempted from every rule (an SSH session). */
export interface ControlPath {
  /** The controller's address as the host sees it. */
  peerIp: string;
  /** The host's port the controller connects to (sshd's port). */
  localPort: number;
}

/** The tag every ringside rule carries, so `recover` finds it without a journal. */
export const TAG_PREFIX = 'ringside:';
export const CHAIN_PREFIX = 'RINGSIDE-';

/** Fault ids: lower-case letters and digits, 1..16 chars (chain names stay under iptables' 28). */
export const ID_PATTERN = /^[a-z0-9]{1,16}$/;

export function isFaultId(text: string): boolean {
  return ID_PATTERN.test(text);
}
