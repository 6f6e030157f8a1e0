import { COMPILE_COST_WEIGHTS, sourceCost } from './compileCost';
import { CpuTimeBackstop, type CpuClocks } from './CpuTimeBackstop';
import { compileSource, type CompiledSource } from './SafePattern';
import type { RestrictionError, RestrictionErrorCode, RestrictionLimits } from './types';

/** Reports a problem at `field` (relative to the rule: '' names the rule itself). */
export type PatternErrorSink = (code: RestrictionErrorCode, field: string, detail: string) => void;

/** Gives control back to the event loop (pending I/O and timers run first). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The compile budget of one rule set, applied pattern by pattern while it is validated (see
 * docs/restrictions.md, "Compile budget"):
 * - a pattern whose cost exceeds `maxPatternCost` (or whose program exceeds `maxProgramSize`) is
 *   PATTERN_TOO_COMPLEX at its own field;
 * - once the summed cost of the set exceeds `maxSetCost`, or compiling has used more than
 *   `maxCompileMillis` of CPU time (the time backstop, only when compiling at save time), the
 *   rule being read gets COMPILE_BUDGET_EXCEEDED and nothing more is compiled.
 * The backstop counts the compiling thread's CPU time, neither wall time nor the process's CPU
 * time: on a busy machine both grow with other work (measured: a 10 ms set took over 100 ms of
 * wall time; with other threads of the host busy, the process's CPU time passed 100 ms at the
 * set's second rule), and refusing a user's rules because the machine is busy would make a save
 * succeed or fail at random (see {@link CpuTimeBackstop}).
 * The part of a pattern's cost known from its text is checked before compiling it, so a pattern
 * that would be slow to compile is refused without compiling it.
 *
 * A `compiling` gate compiles each distinct pattern once, synchronously (at save time; the work
 * is bounded by the budget). A `deferring` gate only checks what the text shows and collects the
 * patterns for {@link compileDeferred}, which compiles them one at a time between turns of the
 * event loop (on the request path).
 */
export class PatternGate {
  /** Each distinct pattern compiled so far (or given beforehand), by source. */
  readonly compiled: Map<string, CompiledSource>;
  /** Every pattern checked with the cost its text shows, in order, duplicates included (what {@link compileDeferred} compiles). */
  readonly sources: Array<{ readonly source: string; readonly textCost: number }> = [];
  private total = 0;
  private exhausted = false;

  private constructor(
    private readonly limits: RestrictionLimits,
    private readonly mode: 'compile' | 'defer',
    private readonly backstop: CpuTimeBackstop | undefined,
    known?: ReadonlyMap<string, CompiledSource>,
  ) {
    this.compiled = new Map(known);
  }

  /**
   * Compiles now; `timeBackstop` applies `maxCompileMillis` (measured by `clocks`, the system's by
   * default); `known` patterns are not compiled again.
   */
  static compiling(
    limits: RestrictionLimits,
    options: { timeBackstop?: boolean; clocks?: CpuClocks; known?: ReadonlyMap<string, CompiledSource> } = {},
  ): PatternGate {
    const backstop = options.timeBackstop ? new CpuTimeBackstop(limits.maxCompileMillis, options.clocks) : undefined;
    return new PatternGate(limits, 'compile', backstop, options.known);
  }

  /** Checks the text only and collects the patterns; see {@link compileDeferred}. */
  static deferring(limits: RestrictionLimits): PatternGate {
    return new PatternGate(limits, 'defer', undefined);
  }

  /** Checks one pattern at `field` of a rule; true when it is usable (or no longer looked at). */
  check(source: string, field: string, err: PatternErrorSink): boolean {
    if (this.exhausted) return true;
    const textCost = sourceCost(source);
    if (textCost > this.limits.maxPatternCost) {
      err('PATTERN_TOO_COMPLEX', field, `the pattern is too costly to compile (cost ${textCost} or more, at most ${this.limits.maxPatternCost})`);
      return false;
    }
    if (this.total + textCost > this.limits.maxSetCost) return this.overBudget(err);
    this.sources.push({ source, textCost });
    if (this.mode === 'defer') {
      this.total += textCost;
      return true;
    }
    let compiled = this.compiled.get(source);
    if (!compiled) {
      const r = compileSource(source);
      if (!r.ok) {
        err(r.code, field, r.detail);
        return false;
      }
      compiled = r.compiled;
      this.compiled.set(source, compiled);
    }
    const problem = costProblem(compiled.programSize, textCost, this.limits);
    if (problem) {
      err('PATTERN_TOO_COMPLEX', field, problem);
      return false;
    }
    this.total += textCost + COMPILE_COST_WEIGHTS.perInstruction * compiled.programSize;
    if (this.total > this.limits.maxSetCost) return this.overBudget(err);
    if (this.backstop?.exceeded()) {
      return this.overBudget(err, `compiling the rules took more than ${this.limits.maxCompileMillis} ms of CPU time`);
    }
    return true;
  }

  private overBudget(err: PatternErrorSink, why = `the rules cost more than ${this.limits.maxSetCost} units to compile`): boolean {
    this.exhausted = true;
    err('COMPILE_BUDGET_EXCEEDED', '', `${why}; this rule is where the budget ran out (see docs/restrictions.md)`);
    return false;
  }
}

/** Why a compiled pattern is too complex, or null. */
function costProblem(programSize: number, textCost: number, limits: RestrictionLimits): string | null {
  if (programSize > limits.maxProgramSize) {
    return `the pattern is too complex (program size ${programSize}, at most ${limits.maxProgramSize})`;
  }
  const cost = textCost + COMPILE_COST_WEIGHTS.perInstruction * programSize;
  return cost > limits.maxPatternCost ? `the pattern is too costly to compile (cost ${cost}, at most ${limits.maxPatternCost})` : null;
}

/**
 * Compiles what a deferring gate collected, yielding to the event loop before each distinct
 * pattern, with the same checks as at save time (except the time backstop, so that the
 * outcome never depends on the machine). An error when a pattern does not compile or the set is over
 * budget (a stored value that predates the budget, or was edited by hand).
 */
export async function compileDeferred(gate: PatternGate, limits: RestrictionLimits):
Promise<{ ok: true; compiled: Map<string, CompiledSource> } | { ok: false; error: RestrictionError }> {
  const compiled = new Map<string, CompiledSource>();
  let total = 0;
  for (const { source, textCost } of gate.sources) {
    let c = compiled.get(source);
    if (!c) {
      await yieldToEventLoop();
      const r = compileSource(source);
      if (!r.ok) return { ok: false, error: { code: r.code, detail: r.detail } };
      c = r.compiled;
      compiled.set(source, c);
    }
    const problem = costProblem(c.programSize, textCost, limits);
    if (problem) return { ok: false, error: { code: 'PATTERN_TOO_COMPLEX', detail: problem } };
    total += textCost + COMPILE_COST_WEIGHTS.perInstruction * c.programSize;
    if (total > limits.maxSetCost) return { ok: false, error: { code: 'COMPILE_BUDGET_EXCEEDED', detail: `the rules cost more than ${limits.maxSetCost} units to compile` } };
  }
  return { ok: true, compiled };
}
