/** The URL segment the UI servlet is mounted under (`/plugins/servlet/<segment>`: the descriptor's `urlPattern`). */
export const SERVLET_URL_PATTERN = 'de.resolution.apitokenauth';

/**
 * The servlet's JSON endpoints (the Token Manager's user picker), relative to the context path,
 * in lower case. They answer directory data as a REST call would, so a password in Basic auth
 * there follows the same setting as on `/rest/` (plugin/service/auth/RequestTarget.ts).
 */
export const SERVLET_JSON_PATH = `/plugins/servlet/${SERVLET_URL_PATTERN}/users`;
