/** How the host stores and checks user passwords (Atlassian's PKCS5S2 format in every host). */
export interface PasswordEncoder {
  /** A new salted hash of `password`, in the `{PKCS5S2}` format. */
  encode(password: string): Promise<string>;
  /** Whether `password` is the one `encoded` was made from; false for anything not a well-formed hash. */
  matches(password: string, encoded: string | null): Promise<boolean>;
}
