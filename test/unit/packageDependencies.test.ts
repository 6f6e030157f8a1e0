// No declared dependency goes unused: every package of package.json's dependencies and
// devDependencies is imported (or required, or its types are) by a file of this repository,
// or it is a tool run by an npm script or the test runner, listed below with the reason.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(__dirname, '..', '..');

/** Packages used without an import: each one with where and why it runs. */
const TOOLS: Readonly<Record<string, string>> = {
  eslint: '`npm run lint` (eslint.config.mjs)',
  mocha: 'the test runner: `npm test` (test/run-all.js) and `npm run test:unit` start it',
  '@types/node': 'tsconfig.json "types": Node\'s globals (process, Buffer) in every file',
  '@types/mocha': 'tsconfig.json "types": describe/it/before in every suite',
};

const SOURCE = /\.(ts|tsx|js|cjs|mjs)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'data', 'test-artifacts', 'results']);
/** The quoted specifier after from, import, import(, require( and require.resolve( (also in `export … from`). */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire(?:\.resolve)?\s*\(\s*)['"]([^'"\n]+)['"]/g;
/** `import type … from` / `export type … from`: erased by the compiler, so they use only the types. */
const TYPE_ONLY = /\b(?:import|export)\s+type\b[^;'"]*?\bfrom\s*['"]([^'"\n]+)['"]/g;
/** What an npm package specifier looks like (`name`, `name/sub`, `@scope/name/sub`). */
const PACKAGE_SPECIFIER = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[^\s]*)?$/i;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) sourceFiles(path.join(dir, entry.name), out);
    } else if (SOURCE.test(entry.name)) {
      out.push(path.join(dir, entry.name));
    }
  }
  return out;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; relative paths and Node built-ins → null. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('node:') || !PACKAGE_SPECIFIER.test(specifier)) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtinModules.includes(name) ? null : name;
}

/**
 * The packages the repository uses, each with one file that uses it. A type-only import uses
 * `@types/<name>` when that is declared (the package itself is then never loaded), else the
 * package's own types.
 */
function importedPackages(declared: readonly string[]): Map<string, string> {
  const used = new Map<string, string>();
  const use = (name: string | null, file: string): void => {
    if (name && !used.has(name)) used.set(name, path.relative(ROOT, file));
  };
  for (const file of sourceFiles(ROOT)) {
    const text = fs.readFileSync(file, 'utf8');
    const typeOnly = new Set<number>();
    for (const match of text.matchAll(TYPE_ONLY)) {
      const name = packageOf(match[1]);
      typeOnly.add((match.index ?? 0) + match[0].length);
      use(name && declared.includes(`@types/${name}`) ? `@types/${name}` : name, file);
    }
    for (const match of text.matchAll(SPECIFIER)) {
      if (!typeOnly.has((match.index ?? 0) + match[0].length)) use(packageOf(match[1]), file);
    }
  }
  const mocharc = JSON.parse(fs.readFileSync(path.join(ROOT, '.mocharc.json'), 'utf8')) as { require?: string[] };
  for (const required of mocharc.require ?? []) {
    if (fs.existsSync(path.join(ROOT, required))) continue;
    const name = packageOf(required);
    if (name && !used.has(name)) used.set(name, '.mocharc.json');
  }
  return used;
}

/** `@types/x` serves package `x`; `@types/scope__name` serves `@scope/name`. */
function typedPackage(typesPackage: string): string {
  const name = typesPackage.slice('@types/'.length);
  return name.includes('__') ? `@${name.replace('__', '/')}` : name;
}

describe('package.json dependencies', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>; devDependencies?: Record<string, string>;
  };
  const declared = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
  const used = importedPackages(declared);

  it('should import every declared package somewhere, or list it as a tool with its reason', () => {
    const unused = declared.filter((name) => {
      if (Object.hasOwn(TOOLS, name)) return false;
      if (name.startsWith('@types/')) return !used.has(typedPackage(name)) && !used.has(name);
      return !used.has(name);
    });
    expect(unused, 'declared in package.json but used nowhere: remove them, or list a tool in TOOLS with why').to.deep.equal([]);
  });

  it('should keep the tool list to declared packages that no file imports', () => {
    for (const name of Object.keys(TOOLS)) {
      expect(declared, `${name} is listed as a tool but not declared`).to.include(name);
      if (!name.startsWith('@types/')) expect(used.has(name), `${name} is imported by ${used.get(name)}: drop it from TOOLS`).to.equal(false);
    }
  });

  it('should declare every package a file imports', () => {
    const undeclared = [...used.keys()].filter((name) => !declared.includes(name) && !declared.includes(`@types/${name}`));
    expect(undeclared.map((name) => `${name} (${used.get(name)})`), 'imported but not declared in package.json').to.deep.equal([]);
  });

  it('should name packages by their specifiers', () => {
    expect(packageOf('@atlassian/aui/dist/aui/aui-prototyping.js')).to.equal('@atlassian/aui');
    expect(packageOf('winston/lib/winston/transports')).to.equal('winston');
    expect(packageOf('node:fs')).to.equal(null);
    expect(packageOf('fs')).to.equal(null);
    expect(packageOf('../host-sim/spi')).to.equal(null);
  });
});
