import { runAdapterConformance } from "@mika-maintenance/adapter-tests";
import { createRemoteStore } from "./support/conformance-stores.ts";

// The same suite over HTTP: interactive write transactions on server streams, tokens, batons.
runAdapterConformance({ name: "libsql (remote over HTTP)", createRepositories: createRemoteStore });
