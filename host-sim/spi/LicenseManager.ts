/** UPM licence state of a plugin. */
export type LicenseState = 'valid' | 'expired' | 'none';

/**
 * The plugin's licence as UPM reports it. Answered from memory (kept coherent across the
 * cluster by the host), so it may be asked on every request.
 */
export interface LicenseManager {
  getLicenseState(): LicenseState;
  /** Shorthand for `getLicenseState() === 'valid'`. */
  isLicensed(): boolean;
}
