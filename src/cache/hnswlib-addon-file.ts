/**
 * Embeds hnswlib-node's compiled addon in the binary as a file. Only imported inside the binary:
 * Bun run from source refuses any `import` of a `.node` file, even as a file asset. Nothing else
 * may `require` or `require.resolve` this path: once the bundler sees the addon as a module,
 * this import turns into a require that unpacks it into $TMPDIR, which fails when /tmp is noexec.
 */
import addonPath from "hnswlib-node/build/Release/addon.node" with { type: "file" };

export default addonPath;
