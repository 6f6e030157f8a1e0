// Requests and responses born with Express's prototypes, so Express never has to swap them.
//
// Express gives every request and response its own prototype on arrival
// (`Object.setPrototypeOf(req, app.request)`). On this Node (V8 11/12) an object whose prototype
// was changed after construction keeps everything allocated for its request alive through two
// young-generation collections: a minimal Express app promoted ~3.5 MB per scavenge under 16
// connections, scavenges took ~10 ms instead of ~0.5 ms, and old space filled with request
// garbage (bench/README.md, tuning log). When the HTTP server constructs requests whose
// prototype already is `app.request`, Express's call finds the prototype in place and V8 does
// nothing.
import http from 'node:http';
import express, { type Express } from 'express';

/** The classes to hand to `http.createServer` and the call that binds them to the app. */
export interface ExpressRequestClasses {
  readonly serverOptions: http.ServerOptions<typeof http.IncomingMessage, typeof http.ServerResponse>;
  /** Makes `app` use these classes' prototypes as its `request` / `response`; once per app. */
  adopt(app: Express): void;
}

/**
 * One pair of classes per HTTP server: their prototypes carry `app`, and several hosts (a
 * cluster in one test process) must not share it. Until {@link ExpressRequestClasses.adopt}
 * the objects behave as plain Node requests and responses (the start-up and shutdown handlers
 * use only Node's API).
 */
export function createExpressRequestClasses(): ExpressRequestClasses {
  class HostRequest extends http.IncomingMessage {}
  class HostResponse<R extends http.IncomingMessage = http.IncomingMessage> extends http.ServerResponse<R> {}
  Object.setPrototypeOf(HostRequest.prototype, express.request);
  Object.setPrototypeOf(HostResponse.prototype, express.response);
  let adopted = false;
  return {
    serverOptions: { IncomingMessage: HostRequest, ServerResponse: HostResponse },
    adopt(app) {
      if (adopted) throw new Error('these request classes already belong to an app');
      adopted = true;
      // Express's own prototypes carry `app` as a writable own property; so do these.
      for (const proto of [HostRequest.prototype, HostResponse.prototype]) {
        Object.defineProperty(proto, 'app', { configurable: true, enumerable: true, writable: true, value: app });
      }
      app.request = HostRequest.prototype as unknown as Express['request'];
      app.response = HostResponse.prototype as unknown as Express['response'];
    },
  };
}
