import type { Product, UserManager } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import type { SecureMode } from '../service/ClusterSecureMode';
import type { SettingsService } from '../service/SettingsService';
import { buildSnippets, type CodeSnippet } from './CodeSnippets';

export interface TokenSnippetsDeps {
  readonly settings: SettingsService;
  readonly users: UserManager;
  readonly product: Product;
  /** Absolute base URL incl. context path. */
  readonly baseUrl: string;
  /** Secure mode (ClusterSecureMode): no snippets at all. */
  readonly secureMode: SecureMode;
}

/**
 * Code snippets for a token under the current `authSchemes` setting: with the plain token only
 * when the caller has it (create, rotate), else with the `<your-token>` placeholder.
 */
export class TokenSnippets {
  constructor(private readonly d: TokenSnippetsDeps) {}

  get available(): boolean {
    return !this.d.secureMode.on;
  }

  /** Null in secure mode. */
  async forToken(token: Token, plainToken?: string): Promise<CodeSnippet[] | null> {
    // With the plain token (a creation, which secure mode allows, or a regeneration, which has
    // waited for secure mode already) nothing is shown that the answer does not hold: no wait on a
    // node that has just started.
    if (plainToken === undefined ? await this.d.secureMode.current() : this.d.secureMode.on) return null;
    const settings = await this.d.settings.get();
    const owner = token.userKey === null ? null : await this.d.users.getUserByKey(token.userKey);
    return buildSnippets({
      product: this.d.product, baseUrl: this.d.baseUrl, authSchemes: settings.authSchemes,
      userName: owner?.name ?? null, plainToken, userless: token.userKey === null,
    });
  }
}
