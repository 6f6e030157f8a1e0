// The host's root logger for `npm start` and in-process hosts (see impl/createHostLogger.ts).
import { createRootLogger, type HostLogFormat, type HostLoggerOptions } from './impl/createHostLogger';
import type { Logger } from './spi';

export { flushBufferedLines } from './impl/BufferedLineTransport';

export type { HostLogFormat, HostLoggerOptions };

/** Creates the root logger: on stderr, `text` on a terminal and `json` otherwise unless `format` says. */
export function createHostLogger(options: HostLoggerOptions): Logger {
  return createRootLogger(options);
}
