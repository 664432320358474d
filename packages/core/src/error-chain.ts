/**
 * What an error and its `cause` chain say, one part per error worth reading. Drivers put the
 * news at the bottom of the chain (drizzle: "Failed query: <sql> params: …" → `fetch failed`
 * → `connect ECONNREFUSED 127.0.0.1:8080`), so the whole chain is read, not only the top.
 */
export function errorChainParts(error: unknown): string[] {
  const links = chainOf(error);
  const parts: string[] = [];
  for (const [index, link] of links.entries()) {
    const text = linkText(link, index, links.length);
    if (text === "") continue;
    // A wrapper that already quotes its cause ("… (SQLITE_ERROR: no such table: x) …") said
    // everything below it.
    if (parts.some((earlier) => oneLine(earlier).includes(text))) continue;
    parts.push(text);
    if (links.slice(index + 1).some((deeper) => quotes(text, deeper))) break;
  }
  return parts.length > 0 ? parts : ["unknown error"];
}

const MAX_DEPTH = 8;

function chainOf(error: unknown): unknown[] {
  const links: unknown[] = [];
  const seen = new Set<unknown>();
  let current = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    links.push(current);
    seen.add(current);
    if (links.length >= MAX_DEPTH) break;
    current = current instanceof Error ? current.cause : undefined;
  }
  return links;
}

function linkText(link: unknown, index: number, length: number): string {
  const raw = rawText(link);
  // drizzle's wrapper, "Failed query: <sql>\nparams: <values>", says nothing its cause does
  // not, and its parameters may hold personal data (an erasure's email address).
  if (raw.startsWith("Failed query:") && index < length - 1) return "";
  // Our own messages may list problems on several lines; the causes below them join one line.
  return index === 0 ? raw.trim() : oneLine(raw);
}

function rawText(link: unknown): string {
  if (link instanceof AggregateError && !link.message) {
    // pg reports a refused connection (one per address tried) as an AggregateError with no message.
    return link.errors.map((inner) => errorChainParts(inner).join(": ")).join("; ");
  }
  if (link instanceof Error) {
    if (link.message) return link.message;
    const code = (link as { code?: unknown }).code;
    return typeof code === "string" && code ? code : link.name;
  }
  if (typeof link === "string") return link;
  try {
    return JSON.stringify(link) ?? String(link);
  } catch {
    return String(link);
  }
}

function quotes(text: string, deeper: unknown): boolean {
  const deeperText = oneLine(rawText(deeper));
  return deeperText !== "" && oneLine(text).includes(deeperText);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
