/**
 * Checks a target host against allow-list patterns before any request is sent, so a
 * pipeline cannot load production by mistake. Patterns: an exact host ("api.test.example"),
 * a wildcard for any depth of subdomain ("*.test.example"), optionally with a port
 * ("localhost:8080"); "*" alone allows everything and has to be written on purpose.
 */
export function hostAllowed(target: URL, patterns: readonly string[]): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return patterns.some((raw) => {
    const p = raw.trim().toLowerCase();
    if (p === '*') return true;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(p);
    if (!m) return false;
    const [, hostPattern, portPattern] = m as unknown as [string, string, string | undefined];
    if (portPattern != null && portPattern !== port) return false;
    const hp = hostPattern.replace(/^\[|\]$/g, '');
    if (hp.startsWith('*.')) return host.endsWith(hp.slice(1)) && host.length > hp.length - 1;
    return host === hp;
  });
}

/** Checks the shape of allow-list patterns; returns the bad ones. */
export function badPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((p) => !/^(\*|(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\]|[0-9.]+)(:\d{1,5})?$/i.test(p.trim()));
}
