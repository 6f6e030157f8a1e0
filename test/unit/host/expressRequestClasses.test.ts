import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express, { type Express } from 'express';
import { createExpressRequestClasses } from '../../../host-sim/web/expressRequestClasses';

async function serve(listener: http.RequestListener, options: http.ServerOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(options, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

function appReportingPrototypes(): Express {
  const app = express();
  app.get('/p', (req, res) => {
    res.json({
      sameRequestProto: Object.getPrototypeOf(req) === app.request,
      sameResponseProto: Object.getPrototypeOf(res) === app.response,
      appIsOwn: req.app === app && res.app === app,
      header: req.get('x-probe'),
    });
  });
  return app;
}

describe('createExpressRequestClasses', () => {
  it('should build requests and responses whose prototypes are the adopting app\'s', async () => {
    const classes = createExpressRequestClasses();
    const app = appReportingPrototypes();
    classes.adopt(app);
    let arrivalProto: unknown = null;
    const server = await serve((req, res) => { arrivalProto = Object.getPrototypeOf(req); app(req, res); }, classes.serverOptions);
    try {
      const res = await fetch(`${server.url}/p`, { headers: { 'x-probe': 'yes' } });
      expect(await res.json()).to.deep.equal({ sameRequestProto: true, sameResponseProto: true, appIsOwn: true, header: 'yes' });
      expect(arrivalProto).to.equal(app.request);
    } finally {
      await server.close();
    }
  });

  it('should serve plain Node handlers before an app adopts the classes', async () => {
    const classes = createExpressRequestClasses();
    const server = await serve((req, res) => {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      res.end(String((req as { app?: unknown }).app));
    }, classes.serverOptions);
    try {
      const res = await fetch(`${server.url}/anything`);
      expect(res.status).to.equal(503);
      expect(await res.text()).to.equal('undefined');
    } finally {
      await server.close();
    }
  });

  it('should keep two servers\' apps apart', () => {
    const first = createExpressRequestClasses();
    const second = createExpressRequestClasses();
    const a = express();
    const b = express();
    first.adopt(a);
    second.adopt(b);
    expect((a.request as unknown as { app: unknown }).app).to.equal(a);
    expect((b.request as unknown as { app: unknown }).app).to.equal(b);
    expect(a.request).to.not.equal(b.request);
  });

  it('should refuse a second app', () => {
    const classes = createExpressRequestClasses();
    classes.adopt(express());
    expect(() => classes.adopt(express())).to.throw();
  });
});
