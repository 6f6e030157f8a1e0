// The host's root winston logger: JSON lines on stdout, one child per module.
import winston from 'winston';
import type { Logger } from '../spi/Logger';

export function createHostLogger(level: string, nodeId: string): Logger {
  return winston.createLogger({
    level,
    defaultMeta: { node: nodeId },
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: false }), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
}
