/**
 * Faults and latency on demand, deterministic for a given seed.
 *
 * Fault spec (`--faults`, world file `faults:`): comma-separated rules `KIND[/FILTER]:EFFECT@TRIGGER`
 *   KIND     arm-read | arm-write | arm (both) | lro | dataplane-read | dataplane-write | dataplane (both) | cluster
 *   FILTER   optional text the request path must contain (case-insensitive), e.g. `arm-write/vaults/`;
 *            for `lro` it is matched against the path of the request that started the operation
 *   EFFECT   429 | 429-no-retry-after | 500 | 503 | reset (the socket is destroyed) | failed (lro only:
 *            the operation ends with status Failed and an error)
 *   TRIGGER  a probability in (0, 1] such as 0.2, or #N: only the Nth matching call (1-based)
 *   e.g. `arm-write:429@0.2,arm:500@0.05,lro:failed@#3,dataplane:reset@0.1`
 * Latency spec (`--latency`): comma-separated `KIND=MS` with the same kinds; for `lro` it is how long
 *   an operation stays InProgress. e.g. `arm-write=3000,lro=2000,dataplane=5`
 *
 * Each rule draws from its own PRNG seeded from (seed, rule index), so one rule's traffic never
 * shifts another rule's decisions.
 */

export type OperationKind = 'arm-read' | 'arm-write' | 'lro' | 'dataplane-read' | 'dataplane-write' | 'cluster';
type RuleKind = OperationKind | 'arm' | 'dataplane';
const RULE_KINDS: readonly RuleKind[] = [
  'arm-read',
  'arm-write',
  'arm',
  'lro',
  'dataplane-read',
  'dataplane-write',
  'dataplane',
  'cluster',
];
const EFFECTS = ['429', '429-no-retry-after', '500', '503', 'reset', 'failed'] as const;
type EffectName = (typeof EFFECTS)[number];

export type FaultEffect =
  { kind: 'status'; status: 429 | 500 | 503; retryAfter: boolean } | { kind: 'reset' } | { kind: 'failed' };

export interface FaultRule {
  spec: string;
  kind: RuleKind;
  filter?: string;
  effect: EffectName;
  probability?: number;
  nth?: number;
  /** Matching calls so far and the rule's PRNG state: per plan, never module-level. */
  count: number;
  rng: number;
}

export interface FaultPlan {
  seed: number;
  rules: FaultRule[];
  latencyMs: Partial<Record<RuleKind, number>>;
  /** The Retry-After an injected ARM or cluster 429 carries; 1 s unless a test asks for less. */
  retryAfterSeconds?: number;
}

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const RULE_PATTERN = /^([a-z-]+)(\/[^:]*)?:([0-9a-z-]+)@(#\d+|\d*\.?\d+)$/;

function ruleSeed(seed: number, index: number): number {
  // Mix seed and index so neighbouring rules don't get correlated streams.
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/** mulberry32: small, fast, good enough for fault sampling. Returns [value in [0,1), next state]. */
function nextRandom(state: number): [number, number] {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, next];
}

export function parseFaultRules(spec: string | undefined, seed: number): FaultRule[] {
  if (!spec || !spec.trim()) return [];
  return spec.split(',').map((raw, index) => {
    const text = raw.trim();
    const match = RULE_PATTERN.exec(text);
    if (!match)
      throw new FaultSpecError(
        `Fault rule "${text}" isn't KIND[/FILTER]:EFFECT@TRIGGER, e.g. arm-write:429@0.2 or lro:failed@#3.`,
      );
    const [, kind, filter, effect, trigger] = match;
    if (!RULE_KINDS.includes(kind as RuleKind))
      throw new FaultSpecError(
        `Fault rule "${text}" has an unknown kind "${kind}"; use one of ${RULE_KINDS.join(', ')}.`,
      );
    if (!EFFECTS.includes(effect as EffectName))
      throw new FaultSpecError(
        `Fault rule "${text}" has an unknown effect "${effect}"; use one of ${EFFECTS.join(', ')}.`,
      );
    if ((effect === 'failed') !== (kind === 'lro'))
      throw new FaultSpecError(`Fault rule "${text}": "failed" is the only effect for lro, and only for lro.`);
    const rule: FaultRule = {
      spec: text,
      kind: kind as RuleKind,
      filter: filter?.toLowerCase(),
      effect: effect as EffectName,
      count: 0,
      rng: ruleSeed(seed, index),
    };
    if (trigger.startsWith('#')) {
      rule.nth = Number(trigger.slice(1));
      if (rule.nth < 1) throw new FaultSpecError(`Fault rule "${text}": #N counts from 1.`);
    } else {
      rule.probability = Number(trigger);
      if (!(rule.probability > 0 && rule.probability <= 1))
        throw new FaultSpecError(`Fault rule "${text}": the probability must be in (0, 1].`);
    }
    return rule;
  });
}

function parseLatency(spec: string | undefined): Partial<Record<RuleKind, number>> {
  const latency: Partial<Record<RuleKind, number>> = {};
  if (!spec || !spec.trim()) return latency;
  for (const raw of spec.split(',')) {
    const [kind, ms, extra] = raw.trim().split('=');
    if (extra !== undefined || !RULE_KINDS.includes(kind as RuleKind) || !/^\d+$/.test(ms ?? '')) {
      throw new FaultSpecError(`Latency "${raw.trim()}" isn't KIND=MS with KIND one of ${RULE_KINDS.join(', ')}.`);
    }
    latency[kind as RuleKind] = Number(ms);
  }
  return latency;
}

export function createFaultPlan(options: {
  faults?: string;
  latency?: string;
  seed?: number;
  retryAfterSeconds?: number;
}): FaultPlan {
  const seed = (options.seed ?? 1) >>> 0;
  const plan: FaultPlan = {
    seed,
    rules: parseFaultRules(options.faults, seed),
    latencyMs: parseLatency(options.latency),
  };
  if (options.retryAfterSeconds !== undefined) plan.retryAfterSeconds = options.retryAfterSeconds;
  return plan;
}

function kindMatches(ruleKind: RuleKind, kind: OperationKind): boolean {
  return (
    ruleKind === kind ||
    (ruleKind === 'arm' && kind.startsWith('arm-')) ||
    (ruleKind === 'dataplane' && kind.startsWith('dataplane-'))
  );
}

/** Counts this call against every matching rule and returns the first fault that fires, if any. */
export function drawFault(plan: FaultPlan | undefined, kind: OperationKind, path: string): FaultEffect | undefined {
  if (!plan) return undefined;
  const lowerPath = path.toLowerCase();
  let fired: FaultEffect | undefined;
  for (const rule of plan.rules) {
    if (!kindMatches(rule.kind, kind) || (rule.filter && !lowerPath.includes(rule.filter))) continue;
    rule.count += 1;
    let fires: boolean;
    if (rule.nth !== undefined) {
      fires = rule.count === rule.nth;
    } else {
      const [value, next] = nextRandom(rule.rng);
      rule.rng = next;
      fires = value < (rule.probability ?? 0);
    }
    if (fires && !fired) fired = effectOf(rule.effect);
  }
  return fired;
}

function effectOf(effect: EffectName): FaultEffect {
  switch (effect) {
    case 'reset':
      return { kind: 'reset' };
    case 'failed':
      return { kind: 'failed' };
    case '429':
      return { kind: 'status', status: 429, retryAfter: true };
    case '429-no-retry-after':
      return { kind: 'status', status: 429, retryAfter: false };
    default:
      return { kind: 'status', status: Number(effect) as 500 | 503, retryAfter: false };
  }
}

export function latencyFor(plan: FaultPlan | undefined, kind: OperationKind): number {
  if (!plan) return 0;
  const exact = plan.latencyMs[kind];
  if (exact !== undefined) return exact;
  if (kind.startsWith('arm-')) return plan.latencyMs.arm ?? 0;
  if (kind.startsWith('dataplane-')) return plan.latencyMs.dataplane ?? 0;
  return 0;
}
