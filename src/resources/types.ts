/**
 * The resource model: everything an executable can carry. Resources are
 * plain data; plugins create them in `collect`, drop them in `filter` and
 * locate them in `place`.
 */

/** Where a resource lives at run time. */
export type ResourceLocation = 'in-memory' | `filesystem-relative:${string}`;

/** Bytes of a resource: a file read when linking, or bytes in memory. */
export type Content = { readonly path: string } | { readonly bytes: Uint8Array };

export type OptimizeLevel = 0 | 1 | 2;

/** Python source of a module; bytecode is compiled from it at link time. */
export interface PythonModuleSource {
  readonly type: 'python-module-source';
  /** Dotted module name ("json.decoder"; a package's own name for its __init__). */
  readonly name: string;
  readonly isPackage: boolean;
  readonly source: Content;
}

/** Already compiled code of a module (marshalled code object, no .pyc header). */
export interface PythonModuleBytecode {
  readonly type: 'python-module-bytecode';
  readonly name: string;
  readonly isPackage: boolean;
  readonly optimizeLevel: OptimizeLevel;
  readonly bytecode: Content;
}

/** A data file inside a package, read with importlib.resources. */
export interface PythonPackageResource {
  readonly type: 'python-package-resource';
  /** The package that holds it ("sample"). */
  readonly package: string;
  /** Path relative to the package directory, '/'-separated ("data/words.txt"). */
  readonly path: string;
  readonly data: Content;
}

/** A file of a distribution's metadata directory, read with importlib.metadata. */
export interface PythonDistributionResource {
  readonly type: 'python-distribution-resource';
  /** The metadata directory's name ("sample-1.0.dist-info"). */
  readonly distribution: string;
  /** Path inside it ("METADATA"). */
  readonly path: string;
  readonly data: Content;
}

/** An extension module: compiled into libpython (builtin) or a shared library. */
export interface PythonExtensionModule {
  readonly type: 'python-extension-module';
  readonly name: string;
  readonly builtin: boolean;
  /** The shared library, unless builtin. */
  readonly file?: Content;
}

/** A shared library that extension modules load (from a package's `.libs` directory, say). */
export interface SharedLibrary {
  readonly type: 'shared-library';
  /**
   * Path relative to the sys.path directory it came from ("numpy.libs/libfoo-1a2b.so.1");
   * installed at that path under the location's prefix, so `$ORIGIN` run paths still find it.
   */
  readonly name: string;
  readonly file: Content;
}

/** A plain file installed next to the executable. */
export interface FileResource {
  readonly type: 'file';
  /** Path relative to the install directory, '/'-separated. */
  readonly path: string;
  readonly data: Content;
  readonly executable: boolean;
}

export type Resource =
  | PythonModuleSource
  | PythonModuleBytecode
  | PythonPackageResource
  | PythonDistributionResource
  | PythonExtensionModule
  | SharedLibrary
  | FileResource;

export type ResourceType = Resource['type'];

/** A resource with the location the place phase gave it. */
export type PlacedResource = Resource & { readonly location: ResourceLocation };

/** One key per resource: adding a resource with the same key replaces the earlier one. */
export function resourceKey(r: Resource): string {
  switch (r.type) {
    case 'python-module-source':
      return `source:${r.name}`;
    case 'python-module-bytecode':
      return `bytecode${r.optimizeLevel}:${r.name}`;
    case 'python-package-resource':
      return `resource:${r.package}:${r.path}`;
    case 'python-distribution-resource':
      return `distribution:${r.distribution}:${r.path}`;
    case 'python-extension-module':
      return `extension:${r.name}`;
    case 'shared-library':
      return `library:${r.name}`;
    case 'file':
      return `file:${r.path}`;
  }
}

/** The module (or package) a resource belongs to, for filters. */
export function resourceOwner(r: Resource): string {
  switch (r.type) {
    case 'python-package-resource':
      return r.package;
    case 'python-distribution-resource':
    case 'file':
      return r.path;
    case 'shared-library':
      return r.name;
    default:
      return r.name;
  }
}
