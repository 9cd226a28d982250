import type { Rule } from './rule.ts';
import { containerLabel } from './rule.ts';
import { containersOf, taskSpecsOf } from '../tekton-structure.ts';
import { resolveImage, stringDefaults, unpinnedReason } from '../image-ref.ts';

/** Images carry a tag or digest, never latest; `$(params.image)` is judged by the param's default. */
export const imageTag: Rule = {
  id: 'image-tag',
  description: 'every image has a tag or digest and is not :latest (for $(params.x), the default of x)',
  check(doc, report) {
    const embedded = new Set(taskSpecsOf(doc).filter((t) => t.embedded).map((t) => t.spec));
    for (const c of containersOf(doc)) {
      if (typeof c.container.image !== 'string') continue;
      const { image, unresolved } = resolveImage(c.container.image, stringDefaults(c.spec));
      if (unresolved.length > 0) {
        // An embedded spec's params may come from its Pipeline or run, whose values we cannot see.
        if (!embedded.has(c.spec)) report([...c.path, 'image'], `${containerLabel(c)} image ${c.container.image}: ${unresolved.join(', ')} has no default to check; give the param a tagged default`);
        continue;
      }
      const why = unpinnedReason(image);
      if (why) {
        const shown = image === c.container.image ? image : `${c.container.image} (default ${image})`;
        report([...c.path, 'image'], `${containerLabel(c)} image ${shown} ${why}; pin a tag or digest`);
      }
    }
  },
};
