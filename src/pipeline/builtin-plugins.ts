/**
 * The built-in features, switched on in one place. Each is an ordinary
 * plugin on the public hooks (see plugins/).
 */
import { packagingPolicyPlugin } from '../../plugins/packaging-policy/index.js';
import { pipInstallPlugin } from '../../plugins/pip-install/index.js';
import { readPackageRootPlugin } from '../../plugins/read-package-root/index.js';
import { readVirtualenvPlugin } from '../../plugins/read-virtualenv/index.js';
import { stdlibPlugin } from '../../plugins/stdlib/index.js';
import type { OxidizePlugin } from './plugin.js';

export function builtinPlugins(): OxidizePlugin[] {
  return [stdlibPlugin(), readPackageRootPlugin(), pipInstallPlugin(), readVirtualenvPlugin(), packagingPolicyPlugin()];
}
