import type { MikaMaintenanceRuntimeInput, MikaRunLaneNowResult } from "@mika-maintenance/core";
import {
  createMaintenanceHttp,
  type MikaHttpRuntime,
  type MikaMaintenanceHttp,
} from "@mika-maintenance/http";
import {
  isLoopbackHost,
  type MikaListenAddress,
  type MikaNodeHttpServer,
  parseListenAddress,
  serveWithNodeHttp,
} from "@mika-maintenance/http/node";
import { Option } from "commander";
import { MikaCliInputError } from "../errors.ts";
import type { MikaCommandContext } from "../setup/command-context.ts";

/** Where and how the CLI serves the HTTP endpoints. */
export interface MikaHttpFlags {
  listen: MikaListenAddress;
  adminToken?: string;
}

const MIN_TOKEN_LENGTH = 16;

/** `--admin-token` with its environment variable, `MIKA_ADMIN_TOKEN`. */
export function adminTokenOption(): Option {
  return new Option(
    "--admin-token <token>",
    `enables the dashboard's run now / pause / resume for requests carrying it (${MIN_TOKEN_LENGTH}+ characters)`,
  ).env("MIKA_ADMIN_TOKEN");
}

/**
 * Validates `--listen` and `--admin-token` (or `MIKA_ADMIN_TOKEN`). Actions always need the
 * token, on loopback too; a short token is refused rather than guessed in a few tries.
 */
export function httpFlags(
  listen: unknown,
  adminToken: unknown,
  env: Record<string, string | undefined>,
): MikaHttpFlags {
  let address: MikaListenAddress;
  try {
    address = parseListenAddress(String(listen));
  } catch (error) {
    throw new MikaCliInputError((error as Error).message);
  }
  const token = adminToken === undefined ? env.MIKA_ADMIN_TOKEN : String(adminToken);
  if (token !== undefined && token !== "" && token.length < MIN_TOKEN_LENGTH) {
    throw new MikaCliInputError(
      `--admin-token (or MIKA_ADMIN_TOKEN) must be at least ${MIN_TOKEN_LENGTH} characters; got ${token.length}.`,
    );
  }
  return { listen: address, ...(token ? { adminToken: token } : {}) };
}

/** Creates the handler for this command's store and serves it with `node:http`. */
export async function serveHttp(
  context: MikaCommandContext,
  flags: MikaHttpFlags,
  options: {
    runtime?: MikaHttpRuntime;
    runLaneNow?: (lane: string) => Promise<MikaRunLaneNowResult>;
    lanes?: MikaMaintenanceRuntimeInput["lanes"];
    leaderName?: string;
  },
): Promise<{ http: MikaMaintenanceHttp; server: MikaNodeHttpServer; notice: string }> {
  const http = createMaintenanceHttp({
    repositories: context.store,
    ...(options.runtime ? { runtime: options.runtime } : {}),
    ...(options.runLaneNow ? { runLaneNow: options.runLaneNow } : {}),
    ...(options.lanes ? { lanes: options.lanes } : {}),
    ...(options.leaderName ? { leaderName: options.leaderName } : {}),
    ...(flags.adminToken ? { adminToken: flags.adminToken } : {}),
  });
  const server = await serveWithNodeHttp(http.fetch, flags.listen);
  const exposure = isLoopbackHost(flags.listen.host)
    ? "loopback only"
    : "reachable from other hosts: put it behind your network policy";
  const actions = flags.adminToken ? "actions need the admin token" : "read-only";
  return { http, server, notice: `${exposure}; ${actions}` };
}
