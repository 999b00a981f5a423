/**
 * Target resolution with PyOxidizer's `register_target` semantics: the
 * default target is the one marked `default`, else the first; dependencies
 * resolve before their dependants, each target once.
 */
import { OxidizeError } from '../errors.js';
import type { TargetDefinition } from './define.js';

function known(targets: Record<string, TargetDefinition>): string {
  return Object.keys(targets).join(', ') || '(none)';
}

export function defaultTarget(targets: Record<string, TargetDefinition>): string {
  const names = Object.keys(targets);
  if (names.length === 0) throw new OxidizeError('NO_TARGETS', 'the config defines no targets', 'add one under `targets` in pyoxidizer.config.ts');
  const marked = names.filter((n) => targets[n].default);
  if (marked.length > 1) {
    throw new OxidizeError('MANY_DEFAULTS', `targets ${marked.join(' and ')} are all marked default`, 'mark at most one target `default: true`');
  }
  return marked[0] ?? names[0];
}

/** The targets to resolve, in order, for the requested names (the default target if none). */
export function resolveTargetOrder(targets: Record<string, TargetDefinition>, requested: readonly string[]): string[] {
  const roots = requested.length > 0 ? requested : [defaultTarget(targets)];
  const order: string[] = [];
  const done = new Set<string>();
  const visiting: string[] = [];
  const visit = (name: string, from?: string) => {
    if (done.has(name)) return;
    if (!Object.hasOwn(targets, name)) {
      throw new OxidizeError(
        'UNKNOWN_TARGET',
        from ? `target ${from} depends on unknown target ${name}` : `unknown target ${name}`,
        `known targets: ${known(targets)}`,
      );
    }
    if (visiting.includes(name)) {
      throw new OxidizeError('TARGET_CYCLE', `targets depend on each other in a cycle: ${[...visiting.slice(visiting.indexOf(name)), name].join(' -> ')}`);
    }
    visiting.push(name);
    for (const dep of targets[name].depends ?? []) visit(dep, name);
    visiting.pop();
    done.add(name);
    order.push(name);
  };
  for (const r of roots) visit(r);
  return order;
}
