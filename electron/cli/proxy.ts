/**
 * Clerks behind a company proxy: the CLI honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY (Node's own
 * fetch does not before Node 24). The app gets the system proxy from Electron's net.fetch instead.
 */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/**
 * Routes the CLI's requests (undici's `request`, see `core/providers/node-transport.ts`) through the
 * proxy the environment names, if any. undici is loaded only then: without a proxy, a command that
 * sends nothing never loads it.
 */
export async function useEnvironmentProxy(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!PROXY_VARIABLES.some((name) => env[name])) return false;
  const { EnvHttpProxyAgent, setGlobalDispatcher } = await import('undici');
  // undici's global dispatcher: `request` uses it, and Node's built-in fetch shares it.
  setGlobalDispatcher(new EnvHttpProxyAgent());
  return true;
}
