// Children of the root logger whose message-only calls (`log.info('text')`, the per-request
// line of token authentication) skip winston's per-call work: the merged default fields, the
// sorted JSON keys and the level are the same for every call of one child, so the line is built
// once with placeholders and each call only fills in the message and the time.
import type winston from 'winston';

/** How one finished line is made from an entry (the root logger's own format, see createHostLogger.ts). */
export type LineOf = (info: winston.Logform.TransformableInfo) => string | undefined;

/** What a fast child needs of the root logger. */
export interface FastRoot {
  readonly logger: winston.Logger;
  /** True while an entry may take the fast path (only the root's own transport, not silenced). */
  enabled(level: string): boolean;
  lineOf: LineOf;
  /** How the message appears in the line (JSON-quoted, or as it is in text). */
  encodeMessage(message: string): string;
  now(): string;
  append(line: string): void;
}

const LEVEL = Symbol.for('level');
// Neither needs escaping in JSON nor appears in a real entry's fixed parts.
const MESSAGE_MARK = 'mSg0x7f3a9c1e';
const TIME_MARK = 'tImE0x7f3a9c1e';
const CHAIN = Symbol('fastLogMetaChain');

/** A line's fixed parts around the message and the time, in the order they occur. */
interface Template {
  readonly defaultMeta: unknown;
  readonly parts: readonly [string, string, string];
  readonly messageFirst: boolean;
}

type Chained = winston.Logger & { [CHAIN]?: readonly object[] };

/**
 * Replaces `root.logger.child` so that every child (and its children) answers message-only
 * calls from a template. Anything else — fields, errors, a non-string message, another
 * transport added, a level disabled — goes through winston unchanged.
 */
export function installFastChildren(root: FastRoot): void {
  const logger = root.logger;
  const winstonChild = Object.getPrototypeOf(logger).child as (this: winston.Logger, meta: object) => winston.Logger;
  const levelNames = Object.keys(logger.levels);

  logger.child = function child(this: Chained, meta: object): winston.Logger {
    const parent: Chained = this ?? logger;
    const made = winstonChild.call(parent, meta) as Chained;
    const chain = [...(parent[CHAIN] ?? []), meta];
    Object.defineProperty(made, CHAIN, { value: chain });
    // null: this child's fixed fields cannot be templated (nested values): winston every time.
    const templates = new Map<string, Template | null>();
    for (const level of levelNames) {
      const slow = Object.getPrototypeOf(logger)[level] as (...args: unknown[]) => winston.Logger;
      Object.defineProperty(made, level, {
        configurable: true,
        writable: true,
        value(this: winston.Logger, ...args: unknown[]): winston.Logger {
          const message = args[0];
          if (args.length !== 1 || typeof message !== 'string' || !root.enabled(level)) return slow.apply(this, args);
          let template = templates.get(level);
          if (template === undefined || (template !== null && template.defaultMeta !== logger.defaultMeta)) {
            template = templateOf(root, chain, level) ?? null;
            templates.set(level, template);
          }
          if (template === null) return slow.apply(this, args);
          const [a, b, c] = template.parts;
          const encoded = root.encodeMessage(message);
          root.append(template.messageFirst ? a + encoded + b + root.now() + c : a + root.now() + b + encoded + c);
          return this;
        },
      });
    }
    return made;
  };
}

/**
 * The entry winston would build for `child.<level>(message)` — the children's fields from the
 * outermost, then message and level, then the root's default fields over them — made into a
 * line with marks for the message and the time, and cut at the marks.
 */
function templateOf(root: FastRoot, chain: readonly object[], level: string): Template | undefined {
  const defaultMeta = root.logger.defaultMeta as object | undefined;
  const info = Object.assign({}, ...chain, { message: MESSAGE_MARK, level }, defaultMeta ?? {}) as winston.Logform.TransformableInfo;
  if (info.message !== MESSAGE_MARK || info.level !== level) return undefined;
  (info as unknown as Record<symbol, string>)[LEVEL] = level;
  info.timestamp = TIME_MARK;
  const line = root.lineOf(info);
  if (line === undefined) return undefined;
  const encodedMark = root.encodeMessage(MESSAGE_MARK);
  const m = line.indexOf(encodedMark);
  const t = line.indexOf(TIME_MARK);
  if (m === -1 || t === -1 || line.indexOf(encodedMark, m + 1) !== -1 || line.indexOf(TIME_MARK, t + 1) !== -1) return undefined;
  const messageFirst = m < t;
  const [first, firstLength, second, secondLength] = messageFirst
    ? [m, encodedMark.length, t, TIME_MARK.length]
    : [t, TIME_MARK.length, m, encodedMark.length];
  return {
    defaultMeta,
    messageFirst,
    parts: [line.slice(0, first), line.slice(first + firstLength, second), line.slice(second + secondLength)],
  };
}
