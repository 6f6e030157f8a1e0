// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320: the checksum of zip, PNG and GitHub's
// token checksums) over ASCII text, as a 256-entry table. Written out rather than taken from
// node:zlib because every token request checksums the presented token: zlib's crc32 converts the
// string to UTF-8 in C++ and costs ~0.8 µs per call in a loop, the table ~0.2 µs with the shape
// check in the same pass (bench/README.md, tuning log). test/unit/plugin/TokenFormat.test.ts
// compares it with zlib's over random text.

const TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** The running register before any byte. */
export const CRC32_INITIAL = -1;

/** Feeds one byte (an ASCII character's code) into the running register `crc`. */
export function crc32Step(crc: number, byte: number): number {
  return TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
}

/** The checksum (unsigned) from a running register. */
export function crc32Final(crc: number): number {
  return (crc ^ -1) >>> 0;
}

/** CRC-32 of ASCII `text` (its characters are its UTF-8 bytes); a non-ASCII character is a RangeError. */
export function crc32Ascii(text: string): number {
  let crc = CRC32_INITIAL;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new RangeError('crc32Ascii takes ASCII text only');
    crc = crc32Step(crc, code);
  }
  return crc32Final(crc);
}
