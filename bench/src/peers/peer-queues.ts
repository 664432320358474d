import pg from "pg";
import { openPostgresStore } from "../adapters/postgres.ts";
import type { BenchStore } from "../adapters/store.ts";
import { queuedEmails } from "../queued-emails.ts";
import { BENCH_NOW, shift } from "../scenario.ts";
import { epochNow, type PeerSystem, type PeerTarget } from "./systems.ts";

/** One system's queue in its own schema: created once, a fresh queue per measurement. */
export interface PeerQueues {
  system: PeerSystem;
  /** Library and version, e.g. `pg-boss 12.38.0`. */
  version: string;
  /** A fresh, empty queue for one measurement; `leaseSeconds` sets its expiry where it can. */
  prepare(run: string, options?: { leaseSeconds?: number; notify?: boolean }): Promise<PeerTarget>;
  /** Enqueues items `<run>-<n>` for n in [0, count) in bulk; returns their keys. */
  enqueueMany(target: PeerTarget, count: number): Promise<string[]>;
  /** Enqueues one item through the system's own API; resolves with the epoch ms it was sent. */
  enqueueOne(target: PeerTarget, key: string): Promise<number>;
  close(): Promise<void>;
}

const CONNECTION_STRING =
  process.env.MIKA_BENCH_POSTGRES_URL ??
  process.env.MIKA_TEST_POSTGRES_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const CHUNK = 1_000;

/** Opens the queue of `system` in a schema of its own on the bench Postgres. */
export async function openPeerQueues(system: PeerSystem): Promise<PeerQueues> {
  if (system === "mika") return openMikaQueues();
  if (system === "graphile-worker") return openGraphileWorkerQueues();
  return openPgBossQueues();
}

function keysOf(run: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${run}-${10_000_000 + i}`);
}

async function openMikaQueues(): Promise<PeerQueues> {
  const store: BenchStore = await openPostgresStore();
  const { target } = store;
  if (target.adapter !== "postgres") throw new Error("the peers bench needs the Postgres store");
  const { packageVersion } = await import("../package-version.ts");
  const insert = (id: { sql: string }, count: number, createdAt: string) =>
    store.insertSeries(queuedEmails(count, id, createdAt));
  return {
    system: "mika",
    version: `@mika-maintenance/core ${await packageVersion("@mika-maintenance/core")} (this commit)`,
    async prepare(run) {
      await store.clear(["email_outbox"]);
      return {
        system: "mika",
        connectionString: target.connectionString,
        schema: target.schema,
        tablePrefix: target.tablePrefix,
        queue: run,
      };
    },
    async enqueueMany(queue, count) {
      // Created an hour before the bench instant, itself in the past: due at once.
      await insert(
        { sql: `'${queue.queue}-' || (10000000 + i)` },
        count,
        shift(BENCH_NOW, -3_600_000),
      );
      await store.maintain(["email_outbox"]);
      return keysOf(queue.queue, count);
    },
    async enqueueOne(_queue, key) {
      const sentAt = epochNow();
      await insert({ sql: `'${key}'` }, 1, new Date().toISOString());
      return sentAt;
    },
    close: () => store.close(),
  };
}

async function openGraphileWorkerQueues(): Promise<PeerQueues> {
  const { makeWorkerUtils, Logger } = await import("graphile-worker");
  const { packageVersion } = await import("../package-version.ts");
  const schema = `peers_graphile_${process.pid}`;
  const pool = new pg.Pool({ connectionString: CONNECTION_STRING, max: 2 });
  pool.on("error", (error) => console.error(`graphile-worker utils pool: ${error.message}`));
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  const utils = await makeWorkerUtils({
    pgPool: pool,
    schema,
    logger: new Logger(() => () => undefined),
  });
  await utils.migrate();
  return {
    system: "graphile-worker",
    version: `graphile-worker ${await packageVersion("graphile-worker")}`,
    async prepare(run) {
      return { system: "graphile-worker", connectionString: CONNECTION_STRING, schema, queue: run };
    },
    async enqueueMany(target, count) {
      const keys = keysOf(target.queue, count);
      for (let at = 0; at < keys.length; at += CHUNK) {
        await utils.addJobs(
          keys.slice(at, at + CHUNK).map((key) => ({ identifier: target.queue, payload: { key } })),
        );
      }
      return keys;
    },
    async enqueueOne(target, key) {
      const sentAt = epochNow();
      await utils.addJob(target.queue, { key });
      return sentAt;
    },
    async close() {
      await utils.release();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

async function openPgBossQueues(): Promise<PeerQueues> {
  const { PgBoss } = await import("pg-boss");
  const { packageVersion } = await import("../package-version.ts");
  const schema = `peers_pgboss_${process.pid}`;
  const admin = new pg.Client({ connectionString: CONNECTION_STRING });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  // The enqueuing side only: no supervision or cron in this process.
  const boss = new PgBoss({
    connectionString: CONNECTION_STRING,
    schema,
    supervise: false,
    schedule: false,
  });
  boss.on("error", (error) => console.error(`pg-boss (enqueue): ${error.message}`));
  await boss.start();
  return {
    system: "pg-boss",
    version: `pg-boss ${await packageVersion("pg-boss")}`,
    async prepare(run, options = {}) {
      await boss.createQueue(run, {
        ...(options.leaseSeconds === undefined ? {} : { expireInSeconds: options.leaseSeconds }),
        ...(options.notify ? { notify: true } : {}),
      });
      return { system: "pg-boss", connectionString: CONNECTION_STRING, schema, queue: run };
    },
    async enqueueMany(target, count) {
      const keys = keysOf(target.queue, count);
      for (let at = 0; at < keys.length; at += CHUNK) {
        await boss.insert(
          target.queue,
          keys.slice(at, at + CHUNK).map((key) => ({ data: { key } })),
        );
      }
      return keys;
    },
    async enqueueOne(target, key) {
      const sentAt = epochNow();
      await boss.send(target.queue, { key });
      return sentAt;
    },
    async close() {
      await boss.stop({ graceful: false, wait: true } as never).catch(() => undefined);
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}
