// The host's root winston logger; every module takes a child of it.
import winston from 'winston';
import type { Logger } from './spi';

/** Options for {@link createHostLogger}. */
export interface HostLoggerOptions {
  readonly level: string;
  readonly nodeId: string;
  /** `json` (one object per line) or `pretty` (human-readable, the default on a terminal). */
  readonly format?: 'json' | 'pretty';
}

/** Creates the root logger; writes to stderr so stdout stays for the start-up banner. */
export function createHostLogger(options: HostLoggerOptions): Logger {
  const format = options.format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  return winston.createLogger({
    level: options.level,
    defaultMeta: { node: options.nodeId },
    format: format === 'json'
      ? winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json())
      : winston.format.combine(
        winston.format.timestamp(),
        winston.format.errors({ stack: true }),
        winston.format.printf((info) => {
          const { timestamp, level, message, module: mod, stack, ...rest } = info;
          delete (rest as Record<string, unknown>).node;
          const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
          return `${String(timestamp)} ${level.toUpperCase()} [${String(mod ?? 'host')}] ${String(message)}${extra}${stack ? `\n${String(stack)}` : ''}`;
        }),
      ),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
  });
}
