import { readFileSync } from 'node:fs';

/** CPU-time clocks in milliseconds. */
export interface CpuClocks {
  /** CPU time of the whole process (every thread): cheap to read. */
  process(): number;
  /** CPU time of the calling thread alone, or undefined where the platform cannot tell. */
  thread(): number | undefined;
}

type CpuUsage = () => { user: number; system: number };

/** `process.threadCpuUsage` (Node 22.15, 23.9 and later); undefined on older Node. */
const nodeThreadCpuUsage = (process as unknown as { threadCpuUsage?: CpuUsage }).threadCpuUsage;

function processCpuMillis(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * The calling thread's CPU time: Node's own clock where it has one, else Linux's scheduler
 * statistics for the thread (first field: nanoseconds on a CPU), else undefined.
 */
function threadCpuMillis(): number | undefined {
  if (typeof nodeThreadCpuUsage === 'function') {
    const { user, system } = nodeThreadCpuUsage.call(process);
    return (user + system) / 1000;
  }
  if (process.platform !== 'linux') return undefined;
  try {
    const text = readFileSync('/proc/thread-self/schedstat', 'latin1');
    const nanos = Number(text.slice(0, text.indexOf(' ')));
    return Number.isFinite(nanos) && nanos >= 0 ? nanos / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

export const SYSTEM_CPU_CLOCKS: CpuClocks = Object.freeze({ process: processCpuMillis, thread: threadCpuMillis });

/**
 * Whether compiling on this thread has used more than `limitMillis` of CPU time since the
 * backstop was made. Only the compiling thread's time counts: the host's other threads (the
 * libuv pool hashing passwords, database drivers' workers, V8's collector and compiler helpers)
 * work at the same time, and counting them refused sets well inside the budget on a busy host.
 * The thread's clock is read only when the process's clock, which never runs slower than one of
 * its threads, has moved past what the thread had left at the last reading; where no thread
 * clock exists the process's time counts (never too little, sometimes too much).
 */
export class CpuTimeBackstop {
  private readonly threadStart: number | undefined;
  private processMark: number;
  private left: number;

  constructor(private readonly limitMillis: number, private readonly clocks: CpuClocks = SYSTEM_CPU_CLOCKS) {
    this.threadStart = clocks.thread();
    this.processMark = clocks.process();
    this.left = limitMillis;
  }

  exceeded(): boolean {
    const now = this.clocks.process();
    if (now - this.processMark <= this.left) return false;
    const thread = this.threadStart === undefined ? undefined : this.clocks.thread();
    if (thread === undefined) return true;
    const used = thread - (this.threadStart as number);
    if (used > this.limitMillis) return true;
    this.processMark = now;
    this.left = this.limitMillis - used;
    return false;
  }
}
