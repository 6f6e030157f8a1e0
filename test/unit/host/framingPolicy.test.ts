// The host's click-jacking headers (and nosniff): set on every response, and a plugin servlet that sets its
// own X-Frame-Options or Content-Security-Policy cannot allow framing by other sites.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import express from 'express';
import { enforceFramingOnWrite, protectiveHeaders, withFrameAncestors } from '../../../host-sim/web/framingPolicy';

describe('framing policy', () => {
  let server: Server;
  let base: string;
  before(async () => {
    const app = express();
    app.use(protectiveHeaders());
    app.use('/servlet', enforceFramingOnWrite());
    app.get('/servlet/allow-all', (_req, res) => {
      res.setHeader('X-Frame-Options', 'ALLOWALL');
      res.setHeader('Content-Security-Policy', "default-src 'self'; frame-ancestors *");
      res.type('html').send('<p>framed?</p>');
    });
    app.get('/servlet/two-policies', (_req, res) => {
      res.setHeader('Content-Security-Policy', ["script-src 'self'", "img-src *; frame-ancestors 'none'"]);
      res.type('html').send('<p>two</p>');
    });
    app.get('/servlet/removed', (_req, res) => {
      res.removeHeader('X-Frame-Options');
      res.removeHeader('Content-Security-Policy');
      res.status(500).end('<p>bare</p>');
    });
    app.get('/page', (_req, res) => { res.type('html').send('<p>page</p>'); });
    await new Promise<void>((resolve) => { server = app.listen(0, '127.0.0.1', () => resolve()); });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => { await new Promise((resolve) => server.close(resolve)); });

  const headersOf = async (path: string): Promise<[string | null, string | null]> => {
    const res = await fetch(`${base}${path}`);
    await res.text();
    return [res.headers.get('x-frame-options'), res.headers.get('content-security-policy')];
  };

  it('should send both headers on an ordinary page', async () => {
    expect(await headersOf('/page')).to.deep.equal(['SAMEORIGIN', "frame-ancestors 'self'"]);
  });

  it('should send X-Content-Type-Options: nosniff on every answer, errors too', async () => {
    for (const path of ['/page', '/servlet/removed', '/no-such-page']) {
      const res = await fetch(`${base}${path}`);
      await res.text();
      expect(res.headers.get('x-content-type-options'), path).to.equal('nosniff');
    }
  });

  it('should narrow a servlet\'s own policy to frame-ancestors \'self\'', async () => {
    expect(await headersOf('/servlet/allow-all')).to.deep.equal(['SAMEORIGIN', "default-src 'self'; frame-ancestors 'self'"]);
  });

  it('should treat each of several policies and keep a stricter \'none\'', async () => {
    const [, csp] = await headersOf('/servlet/two-policies');
    expect(csp).to.equal("script-src 'self'; frame-ancestors 'self', img-src *; frame-ancestors 'none'");
  });

  it('should restore headers a servlet removed', async () => {
    expect(await headersOf('/servlet/removed')).to.deep.equal(['SAMEORIGIN', "frame-ancestors 'self'"]);
  });

  it('should rewrite single policies', () => {
    expect(withFrameAncestors('')).to.equal("frame-ancestors 'self'");
    expect(withFrameAncestors("FRAME-ANCESTORS https://evil.example ; default-src 'none';")).to.equal("default-src 'none'; frame-ancestors 'self'");
  });
});
