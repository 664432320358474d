/** Why an action request is refused, or null when it may go ahead. */
export type MikaActionRefusal = { status: 401 | 403; error: string } | null;

/**
 * Checks an action request against the configured admin token. Without a configured token
 * every action is refused (403): the page is read-only. A missing or wrong bearer token is
 * 401. The comparison takes the same time whatever the guess.
 */
export function checkAdminToken(
  request: Request,
  adminToken: string | undefined,
): MikaActionRefusal {
  if (!adminToken) {
    return {
      status: 403,
      error:
        "Actions are disabled: start the server with --admin-token (or MIKA_ADMIN_TOKEN) to allow them.",
    };
  }
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match || !sameText(match[1]!, adminToken)) {
    return { status: 401, error: "This action needs the admin token (Authorization: Bearer …)." };
  }
  return null;
}

function sameText(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let index = 0; index < expected.length; index += 1) {
    difference |=
      (given.charCodeAt(index % Math.max(1, given.length)) || 0) ^ expected.charCodeAt(index);
  }
  return difference === 0;
}
