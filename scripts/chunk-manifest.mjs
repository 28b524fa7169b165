// Rollup plugin: writes chunks.json next to a build, naming each emitted JavaScript file with the
// source module it stands for and what it imports, statically and through import().
//
// Owns: that file's format: { "<file>": { facade, largest, imports, dynamicImports } }, file names
// relative to the output folder, facade the source path relative to the repository (null for a shared
// chunk), largest the three source modules with the most code in it.
// Read by scripts/size.mjs (the first load and each lazily loaded chunk) and test/shipped (which files
// the widget fetches before a group feature is used). Never: changes the bundle.
import { relative } from 'node:path';

export function chunkManifest() {
  return {
    name: 'chunk-manifest',
    generateBundle(_options, bundle) {
      const chunks = {};
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        chunks[output.fileName] = {
          facade: output.facadeModuleId ? relative(process.cwd(), output.facadeModuleId) : null,
          largest: Object.entries(output.modules)
            .sort((a, b) => b[1].renderedLength - a[1].renderedLength)
            .slice(0, 3)
            .map(([id]) => relative(process.cwd(), id.replace(/^\0/, '')).replace(/\?.*$/, '')),
          imports: output.imports,
          dynamicImports: output.dynamicImports,
        };
      }
      this.emitFile({
        type: 'asset',
        fileName: 'chunks.json',
        source: `${JSON.stringify(chunks, null, 2)}\n`,
      });
    },
  };
}
