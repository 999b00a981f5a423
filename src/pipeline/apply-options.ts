/**
 * The one place where the resolved options switch on the built-in
 * plugins (as webpack's WebpackOptionsApply and Vite's resolvePlugins).
 * Every built-in is an ordinary plugin on the public hooks; user plugins
 * are applied after them, so a user tap at a built-in's stage runs after it.
 *
 * Order (docs/plugins.md): standard library (collect, Stdlib stage) and its
 * test exclusion (filter, Builtin stage); the source plugins for the kinds
 * the executable uses (collect, Sources stage); the resources given
 * directly (collect, Direct stage); the packaging filters, `extensionModuleFilter`
 * and `exclude` (filter, Builtin stage); the packaging policy (place, Policy
 * stage); the placement checks and the interpreter config checks (placed, Check
 * stage); the executable writer
 * (link, Executable stage); the build report: sizes, import analysis and
 * licences (filter, placed and link, Late stage); then the config's plugins, then the executable's.
 */
import type { ResolvedPolicy } from '../config/policy.js';
import { directResourcesPlugin } from '../../plugins/direct-resources/index.js';
import { buildReportPlugin } from '../../plugins/build-report/index.js';
import { packagingFiltersPlugin } from '../../plugins/packaging-filters/index.js';
import { packagingPolicyPlugin } from '../../plugins/packaging-policy/index.js';
import { pipInstallPlugin } from '../../plugins/pip-install/index.js';
import { interpreterChecksPlugin } from '../../plugins/interpreter-checks/index.js';
import { placementChecksPlugin } from '../../plugins/placement-checks/index.js';
import { readPackageRootPlugin } from '../../plugins/read-package-root/index.js';
import { readVirtualenvPlugin } from '../../plugins/read-virtualenv/index.js';
import { stdlibPlugins } from '../../plugins/stdlib/index.js';
import { writeExecutablePlugin } from '../link/linker.js';
import type { PythonExecutable } from './executable.js';
import type { OxidizePlugin } from './plugin.js';

/** Source plugins by the `kind` of source they collect. */
const SOURCE_PLUGINS: ReadonlyArray<[kind: string, create: () => OxidizePlugin]> = [
  ['read-package-root', readPackageRootPlugin],
  ['pip-install', pipInstallPlugin],
  ['read-virtualenv', readVirtualenvPlugin],
];

export function builtinPlugins(executable: PythonExecutable, policy: ResolvedPolicy): OxidizePlugin[] {
  const plugins: OxidizePlugin[] = [];
  if (policy.includeStdlib) plugins.push(...stdlibPlugins({ excludeTests: !policy.includeTest }));
  const kinds = new Set(executable.sources.map((s) => s.kind));
  for (const [kind, create] of SOURCE_PLUGINS) if (kinds.has(kind)) plugins.push(create());
  if (executable.resources.length > 0) plugins.push(directResourcesPlugin());
  if (policy.extensionModuleFilter !== 'all' || policy.exclude.length > 0) plugins.push(packagingFiltersPlugin());
  plugins.push(packagingPolicyPlugin(), placementChecksPlugin(), interpreterChecksPlugin(), writeExecutablePlugin(), buildReportPlugin());
  return plugins;
}

/** Every plugin of one executable's build, in the order they are applied. */
export function resolvePlugins(executable: PythonExecutable, policy: ResolvedPolicy, configPlugins: readonly OxidizePlugin[] = []): OxidizePlugin[] {
  return [...builtinPlugins(executable, policy), ...configPlugins, ...executable.plugins];
}
