// A winston logger that keeps every line in memory (for asserting log output in tests).
import Transport from 'winston-transport';
import winston from 'winston';
import type { Logger } from '../../../host-sim/spi';

/** A winston transport that appends each entry as one line to an array. */
export class MemoryTransport extends Transport {
  constructor(private readonly lines: string[]) { super(); }
  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    const { level, message, ...rest } = info;
    this.lines.push(`${String(level)} ${String(message)} ${JSON.stringify(rest)}`);
    callback();
  }
}

export function createCapturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = winston.createLogger({ level: 'debug', transports: [new MemoryTransport(lines)] });
  return { logger, lines };
}
