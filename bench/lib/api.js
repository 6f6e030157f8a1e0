// Small REST helpers the benchmark uses to prepare users and tokens through the product's own API.
'use strict';

function basic(user, secret) {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

async function call(baseUrl, method, path, { auth, body, headers = {} } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(auth ? { Authorization: auth } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return json;
}

const ADMIN = basic('admin', 'admin');

async function createUser(baseUrl, name, password) {
  return call(baseUrl, 'POST', '/rest/api/2/user', {
    auth: ADMIN, body: { name, password, emailAddress: `${name}@example.com`, displayName: `Bench ${name}` },
  });
}

async function createToken(baseUrl, auth, body) {
  return call(baseUrl, 'POST', '/rest/de.resolution.apitokenauth/latest/user/token', { auth, body });
}

async function statementCounts(baseUrl) {
  return call(baseUrl, 'GET', '/rest/hostsim/1.0/stats', { auth: ADMIN });
}

module.exports = { basic, call, createUser, createToken, statementCounts, ADMIN };
