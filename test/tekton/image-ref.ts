// Image references: whether one is pinned, and resolving `$(params.x)` in it to param defaults.
import type { Obj } from './tekton-structure.ts';
import { asObjs, paramRef } from './tekton-structure.ts';

/** Why an image reference is not pinned (untagged, or :latest), or undefined when it carries a tag or digest. */
export function unpinnedReason(image: string): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  if (image.includes('@')) return 'has a malformed digest (expected @sha256:<64 hex>)';
  // The tag follows the last ':' of the last path segment (a registry port sits before the first '/').
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'has no tag or digest';
  const tag = lastSegment.slice(colon + 1);
  if (tag === '') return 'has an empty tag';
  if (tag === 'latest') return 'uses the tag latest';
  return undefined;
}

/** Param defaults of a spec as strings (array and object defaults are left out). */
export function stringDefaults(spec: Obj): Map<string, string> {
  const out = new Map<string, string>();
  for (const [, p] of asObjs(spec.params)) if (typeof p.name === 'string' && typeof p.default === 'string') out.set(p.name, p.default);
  return out;
}

/**
 * Replaces `$(params.x)` with the param's default. `unresolved` lists expressions that could not be
 * replaced (a param without string default, or anything other than a param).
 */
export function resolveImage(image: string, defaults: Map<string, string>): { image: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const resolved = image.replace(/\$\(([^()]*)\)/g, (whole, body: string) => {
    const name = paramRef(body.trim());
    const value = name != null ? defaults.get(name) : undefined;
    if (value == null) {
      unresolved.push(whole);
      return whole;
    }
    return value;
  });
  return { image: resolved, unresolved };
}
