// Runs the real `curl` binary against the test host (127.0.0.1 only) and returns status and body.
// Asynchronous on purpose: the host runs in this process, so a blocking spawn would starve it.
import { execFile } from 'node:child_process';

export interface CurlResult { readonly status: number; readonly text: string; readonly json: any } // eslint-disable-line @typescript-eslint/no-explicit-any

/** `args` as on a seed's command line (without `-v` and the stray method words); `-s` and a status trailer are added. */
export function curl(args: readonly string[]): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-s', '-S', '--max-time', '20', '-w', '\n%{http_code}', ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) { reject(new Error(`curl failed: ${stderr || err.message}`)); return; }
      const cut = stdout.lastIndexOf('\n');
      const text = stdout.slice(0, cut);
      let json: unknown;
      try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
      resolve({ status: Number(stdout.slice(cut + 1)), text, json });
    });
  });
}
