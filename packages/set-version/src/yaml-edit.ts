import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import type { PathSegment } from './yaml-path.ts';
import { formatPath, YamlEditError } from './yaml-path.ts';

export { formatPath, parseYamlPath, YamlEditError } from './yaml-path.ts';
export type { PathSegment } from './yaml-path.ts';

function load(text: string, file: string): Document {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new YamlEditError(`${file} is not valid YAML: ${doc.errors[0]?.message.split('\n')[0]}`);
  return doc;
}

function dump(doc: Document): string {
  // lineWidth 0: never fold long strings, so untouched lines stay as they were.
  return doc.toString({ lineWidth: 0 });
}

/** Sets an existing scalar at a path, keeping comments and quoting; returns the new text (the same text when unchanged). */
export function setYamlPath(text: string, path: PathSegment[], value: string, file: string): string {
  const doc = load(text, file);
  const node = doc.getIn(path, true);
  if (node === undefined) throw new YamlEditError(`${file} has no ${formatPath(path)}`);
  if (!isScalar(node)) throw new YamlEditError(`${file}: ${formatPath(path)} is a ${isMap(node) ? 'map' : isSeq(node) ? 'list' : 'non-scalar'}, expected a scalar value`);
  if (String(node.value) === value) return text;
  // Change the value in place: the node keeps its comment and quote style.
  node.value = value;
  return dump(doc);
}

/** The scalar at a path, or undefined. */
export function getYamlPath(text: string, path: PathSegment[], file: string): string | undefined {
  const v = load(text, file).getIn(path);
  return v == null ? undefined : String(v);
}

/** Sets a kustomize images[] entry's newTag and/or digest; adds the entry when absent (as `kustomize edit set image` does). */
export function setKustomizeImage(text: string, imageName: string, o: { tag?: string; digest?: string }, file: string): string {
  const doc = load(text, file);
  if (!isMap(doc.contents)) throw new YamlEditError(`${file} is not a kustomization (its top level is not a map)`);
  let images = doc.get('images', true);
  if (images == null) {
    doc.set('images', doc.createNode([]));
    images = doc.get('images', true);
  }
  if (!isSeq(images)) throw new YamlEditError(`${file}: images is not a list`);
  let entry = images.items.find((it) => isMap(it) && String(it.get('name')) === imageName) as YAMLMap | undefined;
  if (!entry) {
    entry = doc.createNode({ name: imageName }) as YAMLMap;
    images.items.push(entry);
  }
  let changed = false;
  const put = (key: string, value: string): void => {
    const cur = entry.get(key, true);
    if (isScalar(cur)) {
      if (String(cur.value) !== value) {
        cur.value = value;
        changed = true;
      }
    } else {
      entry.set(key, value);
      changed = true;
    }
  };
  if (o.tag) put('newTag', o.tag);
  if (o.digest) put('digest', o.digest);
  return changed ? dump(doc) : text;
}

/** The images[] entry values for an image, or undefined. */
export function getKustomizeImage(text: string, imageName: string, file: string): { newTag?: string; digest?: string } | undefined {
  const doc = load(text, file);
  const images = doc.get('images', true);
  if (!isSeq(images)) return undefined;
  const entry = images.items.find((it) => isMap(it) && String(it.get('name')) === imageName) as YAMLMap | undefined;
  if (!entry) return undefined;
  const tag = entry.get('newTag');
  const digest = entry.get('digest');
  return { ...(tag != null ? { newTag: String(tag) } : {}), ...(digest != null ? { digest: String(digest) } : {}) };
}
