import { resourceKey, type Resource } from './types.js';

/**
 * An ordered set of resources keyed by `resourceKey`: a later `add` of the
 * same module, resource or file replaces the earlier one, so application
 * code can shadow the standard library as it would on sys.path.
 */
export class ResourceCollection implements Iterable<Resource> {
  private readonly byKey = new Map<string, Resource>();

  constructor(resources: Iterable<Resource> = []) {
    for (const r of resources) this.add(r);
  }

  add(...resources: Resource[]): this {
    for (const r of resources) this.byKey.set(resourceKey(r), r);
    return this;
  }

  delete(r: Resource): boolean {
    return this.byKey.delete(resourceKey(r));
  }

  /** Keeps the resources for which `keep` is true. */
  retain(keep: (r: Resource) => boolean): this {
    for (const [k, r] of this.byKey) if (!keep(r)) this.byKey.delete(k);
    return this;
  }

  get size(): number {
    return this.byKey.size;
  }

  [Symbol.iterator](): Iterator<Resource> {
    return this.byKey.values();
  }

  toArray(): Resource[] {
    return [...this.byKey.values()];
  }
}
