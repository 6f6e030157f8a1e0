// A request through a token whose headers are sent at once and whose JSON body is held back:
// what a client does to have a request admitted before a revocation and finished after it.
import net from 'node:net';

/** Sends the headers and the first bytes of a JSON POST; `finish()` sends the rest and resolves with status and body. */
export async function heldRequest(baseUrl: string, path: string, bearer: string, body: unknown, method = 'POST') {
  const url = new URL(baseUrl);
  const text = JSON.stringify(body);
  const socket = net.connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  let answer = '';
  socket.on('data', (chunk) => { answer += chunk.toString('utf8'); });
  socket.write(`${method} ${url.pathname}${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${bearer}\r\n`
    + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text.slice(0, 1)}`);
  // Let the filter admit the request on its headers.
  await new Promise((r) => setTimeout(r, 300));
  return {
    async finish(): Promise<{ status: number; json: Record<string, unknown> | null }> {
      socket.write(text.slice(1));
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const [head, ...rest] = answer.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const payload = rest.join('\r\n\r\n');
      let json: Record<string, unknown> | null = null;
      try { json = JSON.parse(payload); } catch { json = null; }
      return { status, json };
    },
  };
}

