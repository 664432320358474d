/** What every redacted secret is replaced with. */
export const REDACTED_SECRET = "***";

// Parameter names are compared lower-cased with `_`, `-` and `.` removed, so `authToken`,
// `auth_token` and `AUTH-TOKEN` are one name.
const SECRET_NAMES = new Set([
  "key",
  "pass",
  "pwd",
  "sig",
  "auth",
  "jwt",
  "session",
  "sessionid",
  "cookie",
  "authorization",
]);
const SECRET_NAME_ENDINGS = [
  "password",
  "passwd",
  "token",
  "secret",
  "apikey",
  "privatekey",
  "secretkey",
  "accesskey",
  "signature",
  "credential",
  "credentials",
];

/**
 * True when a URL query parameter, connection-string keyword or JSON field of this name
 * holds a secret: `password`, `sslpassword`, `authToken`, `token`, `access_token`, `key`,
 * `apikey`, `secret`, `client_secret`, … (case-insensitive).
 */
export function isSecretParameterName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_.]/g, "");
  if (SECRET_NAMES.has(normalized)) return true;
  return SECRET_NAME_ENDINGS.some((ending) => normalized.endsWith(ending));
}

// `scheme://` then the authority, which ends at the first `/`, `?`, `#` or space (WHATWG);
// the greedy authority backtracks to its LAST `@`, which is where user-info ends.
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'<>]*)@/gi;
// `name=value` in a query string, a fragment, a libpq keyword/value string or a driver
// message; a quoted value may hold spaces.
const NAME_EQUALS_VALUE =
  /(?<![\w.-])([a-z][\w.-]*)(\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&;,#'"<>)}\]]+)/gi;
// `"name": "value"` in JSON text (a logged options object, a driver's JSON error body).
const JSON_FIELD = /("([a-z][\w.-]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
// An HTTP credential quoted in a message: `Bearer eyJ…`, `Authorization: Basic dXN…`.
const BEARER = /\b(Bearer)(\s+)[\w.~+/-]+=*/gi;
const AUTHORIZATION_HEADER = /\b(Authorization)(\s*:\s*)(?:(?:Bearer|Basic|Token)\s+)?[^\s,;"']+/gi;

function maskUserInfo(match: string, scheme: string, userInfo: string): string {
  const colon = userInfo.indexOf(":");
  if (colon === -1) return match;
  return `${scheme}${userInfo.slice(0, colon)}:${REDACTED_SECRET}@`;
}

/**
 * Masks every secret in a message or log line: the password in the user-info of any URL
 * (`postgres://u:pw@…`, `libsql://u:pw@…`), secret query parameters and keyword values
 * (`?password=…`, `&authToken=…`, `sslpassword=…`, `token`, `key`, `secret`, `apikey`,
 * `access_token`, …), JSON fields with those names, and `Bearer …` / `Authorization: …`
 * credentials. Everything else is kept, so the message still says which host failed.
 */
export function redactSecrets(text: string): string {
  if (text.length === 0) return text;
  return text
    .replace(URL_USER_INFO, maskUserInfo)
    .replace(NAME_EQUALS_VALUE, (match, name: string, equals: string) =>
      isSecretParameterName(name) ? `${name}${equals}${REDACTED_SECRET}` : match,
    )
    .replace(JSON_FIELD, (match, prefix: string, name: string) =>
      isSecretParameterName(name) ? `${prefix}"${REDACTED_SECRET}"` : match,
    )
    .replace(AUTHORIZATION_HEADER, `$1$2${REDACTED_SECRET}`)
    .replace(BEARER, `$1$2${REDACTED_SECRET}`);
}

/**
 * Masks the secrets of one database or service URL for display. Unlike `redactSecrets`, it
 * knows the whole string is one URL, so a password holding an unencoded `/`, `#` or `@`
 * (which drivers often accept) is masked up to the last `@` before the query string.
 */
export function redactUrl(url: string): string {
  const schemeEnd = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0].length;
  if (schemeEnd === undefined) return redactSecrets(url);
  const queryStart = url.indexOf("?", schemeEnd);
  const beforeQuery = queryStart === -1 ? url.length : queryStart;
  const at = url.lastIndexOf("@", beforeQuery - 1);
  if (at < schemeEnd) return redactSecrets(url);
  const userInfo = url.slice(schemeEnd, at);
  const colon = userInfo.indexOf(":");
  const masked =
    colon === -1
      ? url.slice(0, at + 1)
      : `${url.slice(0, schemeEnd)}${userInfo.slice(0, colon)}:${REDACTED_SECRET}@`;
  return masked + redactSecrets(url.slice(at + 1));
}

/**
 * A copy of a log record or options object with its secrets masked: every string goes
 * through `redactSecrets`, and a string under a secret name (`password`, `authToken`, …)
 * becomes `***`. Numbers, booleans and the record's shape are kept.
 */
export function redactSecretFields<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redactSecrets(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
  if (value instanceof Error) return redactSecrets(value.message || value.name);
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    return value;
  }
  const copy: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    copy[name] =
      typeof field === "string" && isSecretParameterName(name)
        ? REDACTED_SECRET
        : redactValue(field, seen);
  }
  return copy;
}

/**
 * Masks secrets in place in an error's `message` and `stack`, down its `cause` chain (and an
 * `AggregateError`'s `errors`), then returns it. Adapters call it on every error they let
 * reach the host: a driver may quote the connection URL, and hosts log causes too.
 */
export function redactErrorSecrets<T>(error: T): T {
  scrubError(error, new WeakSet(), 0);
  return error;
}

function scrubError(error: unknown, seen: WeakSet<object>, depth: number): void {
  if (!(error instanceof Error) || seen.has(error) || depth > 8) return;
  seen.add(error);
  const message = redactSecrets(error.message);
  if (message !== error.message) error.message = message;
  if (typeof error.stack === "string") {
    const stack = redactSecrets(error.stack);
    if (stack !== error.stack) error.stack = stack;
  }
  scrubError(error.cause, seen, depth + 1);
  if (error instanceof AggregateError) {
    for (const inner of error.errors) scrubError(inner, seen, depth + 1);
  }
}
