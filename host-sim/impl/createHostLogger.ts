// The host's root winston logger, on stderr (stdout stays for the start-up banner); every module
// takes a child of it. Two formats: `text`, one readable line per entry
// (`2026-01-01T10:00:00.000Z INFO [HostServer] Host started url=… node=node1`), and `json`, one
// object per line for log collectors.
import winston from 'winston';
import type { Logger } from '../spi/Logger';

export type HostLogFormat = 'text' | 'json';

/** Options for {@link createRootLogger}. */
export interface HostLoggerOptions {
  readonly level: string;
  readonly nodeId: string;
  /** Default: `text` when stderr is a terminal, `json` otherwise. */
  readonly format?: HostLogFormat;
}

const ALL_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];
const PLAIN = /^[^\s"=\\]+$/;

function fieldValue(value: unknown): string {
  if (typeof value === 'string' && PLAIN.test(value)) return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** `key=value` pairs of the entry's fields, node last; values with spaces or quotes JSON-quoted. */
function textLine(info: winston.Logform.TransformableInfo): string {
  const { timestamp, level, message, module: mod, stack, node, ...fields } = info;
  let line = `${String(timestamp)} ${level.toUpperCase()} [${String(mod ?? 'host')}] ${String(message)}`;
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) line += ` ${key}=${fieldValue(value)}`;
  }
  if (node !== undefined) line += ` node=${fieldValue(node)}`;
  return stack ? `${line}\n${String(stack)}` : line;
}

/** Creates the root logger. */
export function createRootLogger(options: HostLoggerOptions): Logger {
  const format = options.format ?? (process.stderr.isTTY ? 'text' : 'json');
  return winston.createLogger({
    level: options.level,
    defaultMeta: { node: options.nodeId },
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      format === 'json' ? winston.format.json() : winston.format.printf(textLine),
    ),
    transports: [new winston.transports.Console({ stderrLevels: ALL_LEVELS })],
  });
}

/** The runtime's logger when none is given: the root logger in the default format. */
export function createHostLogger(level: string, nodeId: string): Logger {
  return createRootLogger({ level, nodeId });
}
