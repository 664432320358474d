import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/** `host:pid:random`, readable in `status` and unique per process. */
export function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}
