// For suites that cut a node off or flood it: a request that may never be answered.

/** The status of a request, or 0 when it is not answered within `ms` (a node that hangs refuses nothing). */
export async function statusOf(request: Promise<{ status: number }>, ms = 1500): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((resolve) => { timer = setTimeout(() => resolve(0), ms); });
  try {
    return await Promise.race([request.then((r) => r.status), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
