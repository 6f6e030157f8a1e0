// The root logger's transport (see createHostLogger.ts): finished lines are appended to a
// buffer that reaches the stream in one write, a short while later.
import Transport from 'winston-transport';
import type winston from 'winston';

/** Buffered text is written at the latest when it reaches this size. */
const FLUSH_CHARS = 64 * 1024;
/** Default delay between the first buffered line and the write that carries it. */
export const DEFAULT_FLUSH_DELAY_MS = 20;

const MESSAGE = Symbol.for('message');

/** Writers with buffered text, flushed synchronously when the process exits. */
const unflushed = new Set<BufferedLineTransport>();
let exitHookInstalled = false;

/** Writes every buffered line now. */
export function flushBufferedLines(): void {
  for (const writer of [...unflushed]) writer.flush();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', flushBufferedLines);
}

/**
 * One line per entry into a buffer, written to the stream at most `flushDelayMs` after its
 * first line (0: at the end of the current turn of the event loop), at 64 KiB, and
 * synchronously when the process exits. Stderr on a file or pipe is synchronous in Node, a
 * system call per write: one per turn still cost ~2.7 µs per token request at 16 connections
 * (bench/README.md), one per 20 ms costs nothing measurable. A process killed with SIGKILL
 * loses at most the last `flushDelayMs` of lines; `exit` (also after an uncaught exception)
 * writes them.
 */
export class BufferedLineTransport extends Transport {
  private buffer = '';
  /** The pending write of the buffer, if one is scheduled. */
  private pendingWrite: NodeJS.Timeout | NodeJS.Immediate | null = null;

  constructor(private readonly stream: NodeJS.WritableStream, private readonly flushDelayMs = DEFAULT_FLUSH_DELAY_MS) {
    super();
    installExitHook();
  }

  override log(info: winston.Logform.TransformableInfo, callback: () => void): void {
    this.append((info as unknown as Record<symbol, string>)[MESSAGE]);
    callback();
  }

  append(line: string): void {
    this.buffer += `${line}\n`;
    if (this.buffer.length >= FLUSH_CHARS) {
      this.flush();
      return;
    }
    if (this.pendingWrite !== null) return;
    unflushed.add(this);
    // The timer is unreferenced: buffered lines never keep a process alive (the exit hook writes them).
    this.pendingWrite = this.flushDelayMs <= 0
      ? setImmediate(() => this.flush())
      : setTimeout(() => this.flush(), this.flushDelayMs).unref();
  }

  /** Writes what is buffered now (and drops the scheduled write: the next line schedules its own). */
  flush(): void {
    if (this.pendingWrite !== null) {
      if (this.flushDelayMs <= 0) clearImmediate(this.pendingWrite as NodeJS.Immediate);
      else clearTimeout(this.pendingWrite as NodeJS.Timeout);
      this.pendingWrite = null;
    }
    unflushed.delete(this);
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    this.stream.write(text);
  }

  override close(): void {
    this.flush();
  }
}
