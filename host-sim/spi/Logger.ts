/**
 * Structured logger handed to the plugin (a winston logger). Create a child per module:
 * `logger.child({ module: 'TokenAuthFilter' })`. Never log a request body, an
 * `Authorization` header or a secret: log the token id.
 */
export type { Logger } from 'winston';
