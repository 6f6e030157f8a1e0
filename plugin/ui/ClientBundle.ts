import path from 'node:path';
import { createHash } from 'node:crypto';

/**
 * The page scripts, bundled from `client/*.ts` with esbuild when the plugin starts (and by
 * `npm run build`), in memory: one file per page, each with the modules it shares with the
 * server (snippets, restriction text, validity maths, message formatting). Bundling takes a
 * few hundred milliseconds, once per process.
 */

export const CLIENT_DIR = path.join(__dirname, 'client');
const ROOT = path.resolve(__dirname, '..', '..');
export const CLIENT_ENTRIES = ['profile', 'admin', 'settings'] as const;
export type ClientEntry = (typeof CLIENT_ENTRIES)[number];

export interface BundledFile {
  readonly contents: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

export interface ClientBundle {
  /** File name (`profile.js`, `profile.js.map`, …) → file. */
  readonly files: ReadonlyMap<string, BundledFile>;
  /** Per page script, the source files bundled into it (relative to the project root). */
  readonly inputs: Readonly<Record<ClientEntry, readonly string[]>>;
}

let pending: Promise<ClientBundle> | null = null;

/** Bundles the page scripts (memoised per process; a failed build is retried on the next call). */
export function clientBundle(): Promise<ClientBundle> {
  if (!pending) {
    pending = buildClientBundle().catch((err: unknown) => {
      pending = null;
      throw err;
    });
  }
  return pending;
}

export async function buildClientBundle(options: { minify?: boolean } = {}): Promise<ClientBundle> {
  // Loaded on first use: the esbuild service starts only when the UI is bundled.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(CLIENT_ENTRIES.map((name) => [name, path.join(CLIENT_DIR, `${name}.ts`)])),
    bundle: true,
    write: false,
    outdir: '/ata-client',
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: options.minify ?? true,
    sourcemap: 'linked',
    sourcesContent: true,
    legalComments: 'linked',
    logLevel: 'silent',
    charset: 'utf8',
    metafile: true,
    absWorkingDir: ROOT,
  });
  const files = new Map<string, BundledFile>();
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    const contents = Buffer.from(file.contents);
    files.set(name, {
      contents,
      contentType: name.endsWith('.map') ? 'application/json; charset=utf-8' : name.endsWith('.txt') ? 'text/plain; charset=utf-8' : 'text/javascript; charset=utf-8',
      etag: `"${createHash('sha256').update(contents).digest('base64url').slice(0, 27)}"`,
    });
  }
  const inputs = {} as Record<ClientEntry, string[]>;
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    const entry = CLIENT_ENTRIES.find((name) => path.basename(out) === `${name}.js`);
    if (entry) inputs[entry] = Object.keys(meta.inputs);
  }
  return { files, inputs };
}
