/** Token names compare without case and surrounding blanks. */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

export function isNameTaken(name: string, taken: readonly string[]): boolean {
  return taken.some((t) => sameName(t, name));
}

/** `base`, or `base (2)`, `base (3)`, … — the first that none of `taken` has. */
export function uniqueName(base: string, taken: readonly string[]): string {
  if (!isNameTaken(base, taken)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base} (${n})`;
    if (!isNameTaken(candidate, taken)) return candidate;
  }
}
