/**
 * Kilo registered services under container hostnames with underscores; Newton's hostnames replace them with
 * hyphens (RFC 1123), so every service, agent and volume host with an underscore is debris of the Kilo cloud.
 */
export function isKiloHostName(host: string): boolean {
  return hostPart(host).includes('_');
}

/** The Newton name of a Kilo service host, keeping cinder's `@backend` and `#pool` suffixes. */
export function newtonHostName(host: string): string {
  const name = hostPart(host);
  return name.replace(/_/g, '-') + host.slice(name.length);
}

/** A cinder host `name@backend#pool` without the backend and pool. */
function hostPart(host: string): string {
  return host.split(/[@#]/, 1)[0] as string;
}
