#!/usr/bin/env node
import { runCli } from "./main.ts";

const code = await runCli(process.argv.slice(2));
// Open pools (pg) and timers must not keep a finished command alive.
process.stdout.write("", () => process.exit(code));
