// How the service is started: `npm start` (package.json) runs `node <SERVICE_NODE_FLAGS> scripts/build/launch.mjs src/server`,
// and the benchmarks and the start test spawn the same command from here, so that they measure
// what a newcomer and an operator run. A test holds package.json's start script to this.
//
// --max-semi-space-size=2 (MB): V8's young generation otherwise grows to 2 × 16 MB once start-up
// has allocated a lot, and keeps it resident while idle. Measured on the embedded demo (three
// restarts each): idle 235–244 MB at 2, 241–250 MB at 4, 266–273 MB at 16 (V8's default); the price
// is more frequent young-generation collections, some 5–10 % more CPU per request in the same
// measurement. An instance on PostgreSQL that serves many requests may prefer V8's default.
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/** The arguments after `node` that start the compiled service, as `npm start` does. */
export function serviceArguments(): string[] {
  return [...SERVICE_NODE_FLAGS, 'scripts/build/launch.mjs', 'src/server'];
}
