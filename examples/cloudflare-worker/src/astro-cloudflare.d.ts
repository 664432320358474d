// The slice of @astrojs/cloudflare's server entry that worker.ts uses. The adapter is not
// installed in this monorepo (it pulls in wrangler and workerd); a real site gets its types.
declare module "@astrojs/cloudflare/entrypoints/server" {
  const handler: {
    fetch(request: Request, env: unknown, ctx: unknown): Promise<Response>;
  };
  export default handler;
}
