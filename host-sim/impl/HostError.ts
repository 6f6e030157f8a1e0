/** Codes of the host's own domain errors (bad input to a host service), for the web half to map to 4xx. */
export type HostErrorCode =
  | 'INVALID_INPUT'
  | 'USER_EXISTS'
  | 'USER_NOT_FOUND'
  | 'GROUP_EXISTS'
  | 'GROUP_NOT_FOUND'
  | 'PROJECT_NOT_FOUND'
  | 'ISSUE_TYPE_NOT_FOUND'
  | 'ISSUE_NOT_FOUND'
  | 'SPACE_NOT_FOUND'
  | 'JOB_NOT_FOUND';

/** HTTP status the host REST API answers for each code. */
export const HOST_ERROR_STATUS: Readonly<Record<HostErrorCode, number>> = {
  INVALID_INPUT: 400,
  USER_EXISTS: 400,
  USER_NOT_FOUND: 404,
  GROUP_EXISTS: 400,
  GROUP_NOT_FOUND: 404,
  PROJECT_NOT_FOUND: 400,
  ISSUE_TYPE_NOT_FOUND: 400,
  ISSUE_NOT_FOUND: 404,
  SPACE_NOT_FOUND: 400,
  JOB_NOT_FOUND: 404,
};

/** A host service refused its input; never used for outages (see ServiceUnavailableError). */
export class HostError extends Error {
  constructor(readonly code: HostErrorCode, message: string) {
    super(message);
    this.name = 'HostError';
  }

  get status(): number {
    return HOST_ERROR_STATUS[this.code];
  }
}

export function isHostError(err: unknown): err is HostError {
  return err instanceof HostError;
}
