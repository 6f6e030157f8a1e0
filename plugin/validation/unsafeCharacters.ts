/**
 * The characters no text a user or client chose may show raw where people read it: control
 * characters (C0, DEL, C1), line and paragraph separators, and the invisible marks that reorder
 * text (bidirectional embeddings, overrides and isolates, U+061C, U+200E/U+200F), which could make
 * one token or event read like another ("Trojan Source"-style spoofing). A regular-expression
 * character class body: descriptions refuse them, log and audit text escapes them, a mail's
 * greeting turns them into spaces.
 */
export const UNSAFE_CHARACTERS = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069';
