// The host's root winston logger, on stderr (stdout stays for the start-up banner); every module
// takes a child of it. Two formats: `text`, one readable line per entry
// (`2026-01-01T10:00:00.000Z INFO [HostServer] Host started url=… node=node1`), and `json`, one
// object per line for log collectors.
//
// Fast path (bench/README.md, "Tuning log"). While the logger has only its own transport, an
// entry skips winston's object streams: it is formatted at once by one format (timestamp,
// errors, text or JSON in one pass) and appended to a buffer that goes to the stream 20 ms later
// (or at 64 KiB), and synchronously when the process exits. A child's message-only call
// (`log.info('text')`) is filled into a line built once per child and level (fastLogChildren.ts).
// The level check is cached and follows changes of `logger.level` and of the transports. With
// another transport added (tests), winston's own pipeline runs as before.
import winston from 'winston';
import type { Logger } from '../spi/Logger';
import { BufferedLineTransport, DEFAULT_FLUSH_DELAY_MS } from './BufferedLineTransport';
import { installFastChildren } from './fastLogChildren';

export type HostLogFormat = 'text' | 'json';

/** Options for {@link createRootLogger}. */
export interface HostLoggerOptions {
  readonly level: string;
  readonly nodeId: string;
  /** Default: `text` when stderr is a terminal, `json` otherwise. */
  readonly format?: HostLogFormat;
  /** Where the lines go (default: stderr). */
  readonly stream?: NodeJS.WritableStream;
  /** Longest wait between a line and its write (default 20 ms; 0: at the end of the turn). */
  readonly flushDelayMs?: number;
}

type Info = winston.Logform.TransformableInfo;

/** winston's (triple-beam's) keys of an entry's level and finished line. */
const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');

/**
 * Characters a log line must not carry raw: C0 and C1 controls (ESC starts terminal escape
 * sequences, NEL breaks lines for some readers), DEL, and U+2028/U+2029, which line-splitting
 * readers treat as line ends. Clients choose some logged text (a refused Basic user name, a
 * path), so without this one request could forge or hide lines for whoever reads the log.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Left raw by JSON.stringify (it escapes only U+0000–U+001F): DEL, C1 controls, U+2028, U+2029. */
const UNSAFE_FOR_JSON = /[\u007f-\u009f\u2028\u2029]/g;

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `JSON.stringify(value)` with the characters it leaves raw that a line must not carry escaped too. */
function safeJson(value: unknown): string | undefined {
  const json = JSON.stringify(value);
  return json === undefined ? undefined : json.replace(UNSAFE_FOR_JSON, unicodeEscape);
}

/** A text line's message: as it is, unless it holds an unsafe character (then `\uXXXX` for each). */
function textMessage(message: string): string {
  return UNSAFE.test(message) ? message.replace(UNSAFE_ALL, unicodeEscape) : message;
}

const PLAIN = /^[^\s"=\\\u0000-\u001f\u007f-\u009f\u2028\u2029]+$/;

function fieldValue(value: unknown): string {
  if (typeof value === 'string' && PLAIN.test(value)) return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return safeJson(value) ?? String(value);
}

/** `key=value` pairs of the entry's fields, node last; values with spaces or quotes JSON-quoted. */
function textLine(info: Info): string {
  const { timestamp, level, message, module: mod, stack, node, ...fields } = info;
  let line = `${String(timestamp)} ${level.toUpperCase()} [${String(mod ?? 'host')}] ${textMessage(String(message))}`;
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) line += ` ${key}=${fieldValue(value)}`;
  }
  if (node !== undefined) line += ` node=${fieldValue(node)}`;
  return stack ? `${line}\n${String(stack)}` : line;
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/;
/** Reused between calls (one logger call at a time: JavaScript runs one at a time). */
const keyBuffer: string[] = [];

function jsonString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? (safeJson(value) as string) : `"${value}"`;
}

/**
 * The JSON line of an entry whose fields are all strings, numbers, booleans or null: keys
 * sorted as logform's `json()` (safe-stable-stringify) sorts them, same text; undefined for
 * anything else (nested objects, errors, bigints), which goes to `json()` itself.
 */
function flatJson(info: Info): string | undefined {
  const record = info as unknown as Record<string, unknown>;
  const keys = keyBuffer;
  keys.length = 0;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    // Insertion sort: an entry has a handful of keys.
    let i = keys.length;
    while (i > 0 && keys[i - 1] > key) { keys[i] = keys[i - 1]; i--; }
    keys[i] = key;
  }
  let out = '';
  for (const key of keys) {
    const value = record[key];
    let text: string;
    switch (typeof value) {
      case 'undefined': continue;
      case 'string': text = jsonString(value); break;
      case 'number': text = Number.isFinite(value) ? String(value) : 'null'; break;
      case 'boolean': text = value ? 'true' : 'false'; break;
      default:
        if (value !== null) return undefined;
        text = 'null';
    }
    out += `${out ? ',' : '{'}${jsonString(key)}:${text}`;
  }
  return out ? `${out}}` : '{}';
}

let isoMillis = -1;
let isoText = '';

/** `new Date().toISOString()`, built once per millisecond. */
function isoNow(): string {
  const now = Date.now();
  if (now !== isoMillis) {
    isoMillis = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}

/** timestamp → errors → text or JSON, in one format; errors and nested values take logform's own formats. */
function hostFormat(kind: HostLogFormat): winston.Logform.Format {
  const slow = winston.format.combine(
    winston.format.timestamp(),
    winston.format.errors({ stack: true }),
    kind === 'json' ? winston.format.json() : winston.format.printf(textLine),
  );
  const json = winston.format.json();
  // logform's JSON (nested values, errors) escapes only U+0000–U+001F, like JSON.stringify.
  const safeLine = (out: Info | boolean): Info | boolean => {
    if (kind === 'json' && typeof out === 'object') {
      const line = (out as unknown as Record<symbol, unknown>)[MESSAGE];
      if (typeof line === 'string') (out as unknown as Record<symbol, unknown>)[MESSAGE] = line.replace(UNSAFE_FOR_JSON, unicodeEscape);
    }
    return out;
  };
  const fast = winston.format((info) => {
    if (info instanceof Error || info.message instanceof Error) return safeLine(slow.transform(info, slow.options));
    info.timestamp = isoNow();
    if (kind === 'text') {
      (info as unknown as Record<symbol, unknown>)[MESSAGE] = textLine(info);
      return info;
    }
    const line = flatJson(info);
    if (line === undefined) return safeLine(json.transform(info, json.options));
    (info as unknown as Record<symbol, unknown>)[MESSAGE] = line;
    return info;
  });
  return fast();
}

interface PipeState {
  readonly pipes: unknown;
  readonly pipesCount: number;
}

/**
 * Fast writes, a cached level check and templated children (fastLogChildren.ts) on `logger`
 * while `transport` is its only transport.
 */
function installFastPath(logger: winston.Logger, transport: BufferedLineTransport, kind: HostLogFormat): void {
  const levels = logger.levels;
  const format = logger.format;
  const state = (logger as unknown as { _readableState: PipeState })._readableState;
  const slowWrite = logger.write.bind(logger) as (info: Info) => boolean;
  const slowIsLevelEnabled = logger.isLevelEnabled.bind(logger);
  let level = logger.level;
  let levelValue = levels[level] ?? -1;
  // The level check, cached for the level, the transports and the level asked.
  let cachedFor: { level: string; pipes: unknown; pipesCount: number } | null = null;
  const enabled = new Map<string, boolean>();

  Object.defineProperty(logger, 'level', {
    configurable: true,
    enumerable: true,
    get: () => level,
    set: (value: string) => { level = value; levelValue = levels[value] ?? -1; },
  });
  const alone = () => state.pipesCount === 1 && state.pipes === transport && !transport.silent && !logger.silent && !transport.level;
  /** True when an entry of this level passes the logger's level (unknown levels never do). */
  const passes = (entryLevel: string): boolean => {
    const value = levels[entryLevel];
    return value !== undefined && value <= levelValue;
  };

  logger.isLevelEnabled = (asked: string): boolean => {
    if (!cachedFor || cachedFor.level !== level || cachedFor.pipes !== state.pipes || cachedFor.pipesCount !== state.pipesCount) {
      cachedFor = { level, pipes: state.pipes, pipesCount: state.pipesCount };
      enabled.clear();
    }
    let answer = enabled.get(asked);
    if (answer === undefined) {
      answer = slowIsLevelEnabled(asked);
      enabled.set(asked, answer);
    }
    return answer;
  };

  logger.write = ((info: Info): boolean => {
    if (!alone()) return slowWrite(info);
    if (!passes((info as unknown as Record<symbol, string>)[LEVEL] ?? info.level)) return true;
    const out = format.transform(info, format.options);
    if (out) transport.append((out as unknown as Record<symbol, string>)[MESSAGE]);
    return true;
  }) as typeof logger.write;

  installFastChildren({
    logger,
    enabled: (asked) => alone() && passes(asked),
    lineOf: kind === 'text' ? textLine : flatJson,
    encodeMessage: kind === 'text' ? textMessage : jsonString,
    now: isoNow,
    append: (line) => transport.append(line),
  });
}

/** Creates the root logger. */
export function createRootLogger(options: HostLoggerOptions): Logger {
  const format = options.format ?? (process.stderr.isTTY ? 'text' : 'json');
  const transport = new BufferedLineTransport(options.stream ?? process.stderr, options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS);
  const logger = winston.createLogger({
    level: options.level,
    defaultMeta: { node: options.nodeId },
    format: hostFormat(format),
    transports: [transport],
  });
  installFastPath(logger, transport, format);
  return logger;
}

/** The runtime's logger when none is given: the root logger in the default format. */
export function createHostLogger(level: string, nodeId: string): Logger {
  return createRootLogger({ level, nodeId });
}
