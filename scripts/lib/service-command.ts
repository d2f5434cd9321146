// How the service is started: `npm start` (package.json) runs `node <SERVICE_NODE_FLAGS> scripts/build/launch.mjs src/server`,
// and the benchmarks and the start test spawn the same command from here, so that they measure
// what a newcomer and an operator run. A test holds package.json's start script to this.
//
// --max-semi-space-size=1 (MB): V8's young generation otherwise grows to 2 × 16 MB once start-up
// has allocated a lot, and keeps it resident while idle; at 1 MB the embedded service idles about
// 30 MB lower, at the price of more frequent (and very short) young-generation collections.
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/** The arguments after `node` that start the compiled service, as `npm start` does. */
export function serviceArguments(): string[] {
  return [...SERVICE_NODE_FLAGS, 'scripts/build/launch.mjs', 'src/server'];
}
