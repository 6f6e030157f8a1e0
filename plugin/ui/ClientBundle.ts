import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';

/**
 * The page scripts, bundled from `client/*.ts` with esbuild: one file per page, each with the
 * modules it shares with the server (snippets, restriction text, validity maths, message
 * formatting). `npm install` and `npm run build` bundle them into `dist/ui/` with a manifest of
 * every source file that went in; when the plugin starts it serves those files if each source
 * still matches, and bundles in memory only when they are missing or out of date (a few hundred
 * milliseconds of esbuild on every core, once per process, which a node starting under load
 * would otherwise spend beside its first requests).
 */

export const CLIENT_DIR = path.join(__dirname, 'client');
const ROOT = path.resolve(__dirname, '..', '..');
/** Where `npm install` / `npm run build` put the bundles and their manifest. */
export const PREBUILT_DIR = path.join(ROOT, 'dist', 'ui');
export const MANIFEST_FILE = 'bundle-manifest.json';
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

export interface BuildOptions {
  readonly minify?: boolean;
}

/** What `dist/ui/bundle-manifest.json` holds. */
interface Manifest {
  /** esbuild's version and the options: another recipe makes other files. */
  readonly recipe: string;
  /** Every source file bundled (relative to the project root) → SHA-256 of its bytes, base64url. */
  readonly sources: Readonly<Record<string, string>>;
  readonly inputs: Readonly<Record<ClientEntry, readonly string[]>>;
  readonly files: readonly string[];
}

/** Where a bundle came from (logged when the plugin starts). */
export type BundleOrigin = 'prebuilt' | 'bundled';
/** Why the prebuilt files were not used (closed union, logged). */
export type PrebuiltRejection = 'MISSING' | 'UNREADABLE' | 'OTHER_RECIPE' | 'SOURCE_CHANGED';

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

function bundledFile(name: string, contents: Buffer): BundledFile {
  return {
    contents,
    contentType: name.endsWith('.map') ? 'application/json; charset=utf-8' : name.endsWith('.txt') ? 'text/plain; charset=utf-8' : 'text/javascript; charset=utf-8',
    etag: `"${sha256(contents).slice(0, 27)}"`,
  };
}

async function recipeOf(options: BuildOptions): Promise<string> {
  const { version } = JSON.parse(await fs.readFile(require.resolve('esbuild/package.json'), 'utf8')) as { version: string };
  return JSON.stringify({ esbuild: version, minify: options.minify ?? true });
}

/** A bundle and where it came from. */
export interface LoadedBundle {
  readonly bundle: ClientBundle;
  readonly origin: BundleOrigin;
  /** Why the prebuilt files were not used (origin `bundled`). */
  readonly rejection?: PrebuiltRejection;
}

let pending: Promise<LoadedBundle> | null = null;

/**
 * This process's page scripts: the prebuilt files when they match the sources, else bundled now
 * (memoised per process; a failed build is retried on the next call).
 */
export function loadedClientBundle(): Promise<LoadedBundle> {
  if (!pending) {
    pending = loadOrBuildClientBundle(PREBUILT_DIR).catch((err: unknown) => {
      pending = null;
      throw err;
    });
  }
  return pending;
}

/** This process's page scripts (see {@link loadedClientBundle}). */
export function clientBundle(): Promise<ClientBundle> {
  return loadedClientBundle().then((loaded) => loaded.bundle);
}

/** The prebuilt bundle in `dir` if it is there and every source still matches; else bundles in memory. */
export async function loadOrBuildClientBundle(dir: string, options: BuildOptions = {}): Promise<LoadedBundle> {
  const prebuilt = await loadPrebuiltBundle(dir, options);
  if (prebuilt.ok) return { bundle: prebuilt.bundle, origin: 'prebuilt' };
  return { bundle: await buildClientBundle(options), origin: 'bundled', rejection: prebuilt.rejection };
}

export type PrebuiltResult = { readonly ok: true; readonly bundle: ClientBundle } | { readonly ok: false; readonly rejection: PrebuiltRejection };

/**
 * Reads the bundle `npm run build` wrote to `dir`, or says why it cannot be used: no manifest,
 * an unreadable one or a missing file, another esbuild version or options, or a source file
 * (page script, shared module, bundled library, `tsconfig.json`) that changed or is gone since.
 */
export async function loadPrebuiltBundle(dir: string, options: BuildOptions = {}): Promise<PrebuiltResult> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch (err) {
    return { ok: false, rejection: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'MISSING' : 'UNREADABLE' };
  }
  if (!isManifest(manifest)) return { ok: false, rejection: 'UNREADABLE' };
  if (manifest.recipe !== await recipeOf(options)) return { ok: false, rejection: 'OTHER_RECIPE' };
  const unchanged = await Promise.all(Object.entries(manifest.sources).map(([source, hash]) => fs.readFile(path.resolve(ROOT, source))
    .then((bytes) => sha256(bytes) === hash, () => false)));
  if (unchanged.includes(false)) return { ok: false, rejection: 'SOURCE_CHANGED' };
  try {
    const contents = await Promise.all(manifest.files.map((name) => fs.readFile(path.join(dir, name))));
    const files = new Map(manifest.files.map((name, i) => [name, bundledFile(name, contents[i])]));
    return { ok: true, bundle: { files, inputs: manifest.inputs } };
  } catch {
    return { ok: false, rejection: 'UNREADABLE' };
  }
}

/** Writes a bundle and its manifest to `dir` (the manifest last, so a half-written folder is never taken as whole). */
export async function writePrebuiltBundle(bundle: ClientBundle, dir: string, options: BuildOptions = {}): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.rm(path.join(dir, MANIFEST_FILE), { force: true });
  for (const [name, file] of bundle.files) await fs.writeFile(path.join(dir, name), file.contents);
  const sourceNames = [...new Set([...Object.values(bundle.inputs).flat(), 'tsconfig.json'])].sort();
  const sources: Record<string, string> = {};
  for (const source of sourceNames) sources[source] = sha256(await fs.readFile(path.resolve(ROOT, source)));
  const manifest: Manifest = { recipe: await recipeOf(options), sources, inputs: bundle.inputs, files: [...bundle.files.keys()] };
  const temp = path.join(dir, `${MANIFEST_FILE}.${process.pid}.tmp`);
  await fs.writeFile(temp, `${JSON.stringify(manifest, null, 1)}\n`);
  await fs.rename(temp, path.join(dir, MANIFEST_FILE));
}

function isManifest(m: unknown): m is Manifest {
  if (typeof m !== 'object' || m === null) return false;
  const { recipe, sources, inputs, files } = m as Record<string, unknown>;
  return typeof recipe === 'string'
    && typeof sources === 'object' && sources !== null && Object.values(sources).every((h) => typeof h === 'string')
    && typeof inputs === 'object' && inputs !== null
    && CLIENT_ENTRIES.every((e) => Array.isArray((inputs as Record<string, unknown>)[e]))
    // Plain file names only: the manifest never names a file outside its folder.
    && Array.isArray(files) && files.every((f) => typeof f === 'string' && f !== '' && path.basename(f) === f && !f.startsWith('.'));
}

export async function buildClientBundle(options: BuildOptions = {}): Promise<ClientBundle> {
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
    files.set(name, bundledFile(name, Buffer.from(file.contents)));
  }
  const inputs = {} as Record<ClientEntry, string[]>;
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    const entry = CLIENT_ENTRIES.find((name) => path.basename(out) === `${name}.js`);
    if (entry) inputs[entry] = Object.keys(meta.inputs);
  }
  return { files, inputs };
}
